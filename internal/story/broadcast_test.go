package story

import (
	"testing"

	"github.com/newsroom-vn/newsroom/internal/testutil/table"
)

func TestSegmentSeconds(t *testing.T) {
	const clip = "0b6f0f3e-3c1a-4a52-9d1e-2f6f1f0c9a11"
	tests := []struct {
		name  string
		seg   TVSegment
		read  int
		asset float64
		want  int
	}{
		{"anchor reads its script", TVSegment{Type: SegmentAnchor}, 12, 0, 12},
		{"anchor ignores a given duration", TVSegment{Type: SegmentAnchor, DurationSeconds: 99}, 12, 0, 12},
		{"vo without clip reads", TVSegment{Type: SegmentVO}, 20, 0, 20},
		{"vo over a longer clip", TVSegment{Type: SegmentVO, VideoAssetID: clip}, 20, 35, 35},
		{"vo over a shorter clip", TVSegment{Type: SegmentVO, VideoAssetID: clip}, 20, 8, 20},
		{"vo over in/out", TVSegment{Type: SegmentVO, VideoAssetID: clip, InSeconds: 10, OutSeconds: 40}, 20, 120, 30},
		{"vo over a clip of unknown length reads", TVSegment{Type: SegmentVO, VideoAssetID: clip}, 20, 0, 20},
		{"sot is the clip's length", TVSegment{Type: SegmentSOT, VideoAssetID: clip}, 40, 25, 25},
		{"sot from in to the end", TVSegment{Type: SegmentSOT, VideoAssetID: clip, InSeconds: 5}, 0, 25, 20},
		{"sot from in to out", TVSegment{Type: SegmentSOT, VideoAssetID: clip, InSeconds: 5, OutSeconds: 17.5}, 0, 25, 13},
		{"sot without clip keeps the given duration", TVSegment{Type: SegmentSOT, DurationSeconds: 18}, 7, 0, 18},
		{"standup without clip reads", TVSegment{Type: SegmentStandup}, 15, 0, 15},
		{"standup with clip is the clip", TVSegment{Type: SegmentStandup, VideoAssetID: clip}, 15, 9, 9},
		{"graphic keeps the given duration", TVSegment{Type: SegmentGraphic, DurationSeconds: 6}, 10, 0, 6},
		{"graphic with a clip is the clip", TVSegment{Type: SegmentGraphic, VideoAssetID: clip, DurationSeconds: 6}, 0, 4, 4},
		{"clip length rounds up", TVSegment{Type: SegmentSOT, VideoAssetID: clip}, 0, 12.2, 13},
		{"measurement noise does not add a second", TVSegment{Type: SegmentSOT, VideoAssetID: clip}, 0, 12.0000001, 12},
		{"unknown type is zero", TVSegment{Type: "weather"}, 10, 10, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SegmentSeconds(tt.seg, tt.read, tt.asset); got != tt.want {
				t.Errorf("SegmentSeconds(%+v, %d, %g) = %d, want %d", tt.seg, tt.read, tt.asset, got, tt.want)
			}
		})
	}
}

func TestMissingVersion(t *testing.T) {
	radio := &RadioVersion{Script: "Tin sáng"}
	tv := &TVVersion{Segments: []TVSegment{{Type: SegmentAnchor, Script: "Dẫn"}}}
	tests := []struct {
		name string
		st   Story
		want Channel
	}{
		{"web only needs nothing", Story{Channels: []Channel{ChannelWeb}}, ""},
		{"radio without version", Story{Channels: []Channel{ChannelWeb, ChannelRadio}}, ChannelRadio},
		{"radio with an empty version", Story{Channels: []Channel{ChannelRadio}, Radio: &RadioVersion{}}, ChannelRadio},
		{"radio with audio only", Story{Channels: []Channel{ChannelRadio}, Radio: &RadioVersion{AudioAssetID: "x"}}, ""},
		{"tv without segments", Story{Channels: []Channel{ChannelRadio, ChannelTV}, Radio: radio, TV: &TVVersion{}}, ChannelTV},
		{"both present", Story{Channels: []Channel{ChannelWeb, ChannelRadio, ChannelTV}, Radio: radio, TV: tv}, ""},
		{"versions without the channel are fine", Story{Channels: []Channel{ChannelWeb}, Radio: radio}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.st.MissingVersion(); got != tt.want {
				t.Errorf("MissingVersion() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCleanScript(t *testing.T) {
	table.Run(t, "cleanScript", cleanScript, []table.Case[string, string]{
		{"plain text kept", "Kính chào quý vị.", "Kính chào quý vị."},
		{"spaces collapsed, paragraphs kept", "  Kính  chào\tquý vị.\r\n\r\n\r\nTin đầu tiên.  ", "Kính chào quý vị.\n\nTin đầu tiên."},
		{"markup reduced to text", "<p>Tin <b>sáng</b></p><p>nay</p><script>alert(1)</script>", "Tin sáng\nnay"},
		{"entities decoded", "Giá lúa &amp; gạo", "Giá lúa & gạo"},
		{"a lone angle bracket stays", "nhiệt độ < 10 độ", "nhiệt độ < 10 độ"},
		{"NFD becomes NFC", "Ha\u0300 No\u0302\u0323i", "Hà Nội"},
		{"TCVN3 converted", "Hµ Néi lµ thñ ®« cña ViÖt Nam", "Hà Nội là thủ đô của Việt Nam"},
		{"VNI converted", "Haø Noäi laø thuû ñoâ cuûa Vieät Nam", "Hà Nội là thủ đô của Việt Nam"},
		{"zero-width space dropped", "Hà\u200bNội", "HàNội"},
		{"blank", " \n \n", ""},
	})
}
