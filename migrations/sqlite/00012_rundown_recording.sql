-- Podcast episodes (issue 5): the recording of a rundown's airing, attached
-- after air. A done rundown of a radio programme with a recording is an
-- episode of the programme's podcast feed; its audio is then public on /media.

-- +goose Up
ALTER TABLE rundowns ADD COLUMN recording_asset_id TEXT REFERENCES assets (id) ON DELETE SET NULL;
CREATE INDEX rundowns_recording_idx ON rundowns (recording_asset_id) WHERE recording_asset_id IS NOT NULL;
CREATE INDEX rundowns_episodes_idx ON rundowns (programme_id, on_air_at DESC, id DESC) WHERE recording_asset_id IS NOT NULL AND state = 'done';

-- +goose Down
DROP INDEX rundowns_episodes_idx;
DROP INDEX rundowns_recording_idx;
ALTER TABLE rundowns DROP COLUMN recording_asset_id;
