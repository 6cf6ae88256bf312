// Package mos makes the newsroom a MOS NCS (newsroom computer system, MOS
// protocol 2.8.5, profiles 0, 1, 2 and 4) towards one MOS device: a playout
// server or a prompter.
//
// The package stands alone: it imports only the standard library and takes
// its own plain types, so the rundown service (internal/broadcast) calls it
// without an import cycle.
//
// # Connections
//
// The client keeps two TCP connections to the device, to its lower port
// (10540: heartbeat, reqMachInfo/listMachInfo) and its upper port (10541:
// running orders). Both are dialled again with exponential backoff
// (Config.ReconnectMin doubling up to Config.ReconnectMax) whenever they
// drop, and carry a heartbeat every Config.HeartbeatInterval. It also listens
// on its own NCS ports (Config.NCSLowerPort, Config.NCSUpperPort; 0 = do not
// listen) for the connections the device opens back: it answers heartbeats,
// reqMachInfo, roReq and roReqAll, and records roElementStat and mosObj
// (Client.OnStatus, Client.Statuses). Connections back are accepted only from
// the addresses of Config.Host.
//
// Every message is the MOS envelope
//
//	<mos><mosID>…</mosID><ncsID>…</ncsID><messageID>N</messageID>…</mos>
//
// encoded UTF-16BE (big-endian, no byte-order mark) and sent in one TCP write:
// common MOS implementations decode each TCP read on its own. The client waits
// for the answer (roAck, mosAck, heartbeat, listMachInfo) with the same
// messageID for at most Config.ReplyTimeout; one message at a time is
// outstanding on each connection. A NACK is returned as a *NACKError; no answer
// in time resets the connection (it is dialled again) and returns ErrTimeout;
// malformed XML from the device is logged and resets the connection. A call
// waits for the running-order work already in progress (one at a time), then
// at most one reply timeout for a connection and one for each answer; its
// context bounds it all.
//
// # Running orders
//
// Sync(ctx, ro) makes the device hold ro:
//   - the first time (or while the device has not acknowledged it): roCreate;
//   - afterwards, when the running order's structure changed (slug, times,
//     story order, story or item fields; not the scripts): roReplace with the
//     whole running order. A reorder is sent as roReplace, not as
//     roElementAction: one message that leaves the device exactly in the
//     newsroom's state, whatever it missed;
//   - then roStorySend (profile 4) for every story whose script (presenter,
//     paragraphs, items) differs from what the device acknowledged last, the
//     spoken text as <p> paragraphs of <storyBody>.
//
// Sync records the running order before sending anything, so a running order
// that could not be sent (device down, NACK, timeout) is sent as soon as the
// device answers again. When the upper connection comes back the client
// resends every current running order: roCreate (a device that restarted has
// forgotten it), then roReplace if the device refuses the roCreate because it
// still holds that roID, then roStorySend for every story with a script.
// Delete(ctx, roID) forgets the running order and sends roDelete (again after
// a reconnect if the device did not acknowledge it).
//
// # From a rundown to a RunningOrder
//
// The rundown service maps one rundown (an airing of a TV programme) to one
// RunningOrder:
//
//	RunningOrder.ID                = rundown ID (UUID)
//	RunningOrder.Slug              = programme name + air date, e.g. "Thời sự tối 25/11/2026"
//	RunningOrder.EditorialStart    = the rundown's on-air time
//	RunningOrder.EditorialDuration = the programme's planned length
//	RunningOrder.Stories           = the rundown items in order, one Story each:
//	  Story.ID     = rundown item ID (stable across moves, unique in the rundown)
//	  Story.Slug   = story headline, or the free item's title ("Quảng cáo", "Thời tiết")
//	  Story.Number = the item's position label, if the desk shows one ("A1")
//	  Story.Script = the spoken text of the TV version's segments in order,
//	                 one entry per paragraph (anchor intro, VO, stand-up…)
//	  Story.Items  = one Item per segment with a clip or graphic known to the
//	                 device: Item.ObjID = the device's object ID, Item.Duration
//	                 = the segment's duration.
//
// Call Sync when a rundown is marked ready and after every change to it
// (insert, move, remove, script edits of its stories); call Delete when it is
// removed. IDs must be at most 128 characters; all-digit IDs are best avoided
// (some devices read them as numbers), UUIDs are fine.
package mos
