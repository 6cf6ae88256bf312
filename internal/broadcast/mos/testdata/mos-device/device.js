#!/usr/bin/env node
// A real MOS device (playout/prompter side) for the newsroom's MOS client tests,
// built on @mos-connection/connector (the MOS library of Sofie, open-source
// broadcast automation). It listens for the NCS on the MOS lower/upper/query
// ports, opens its own connections back to the NCS's ports, and records every
// message it receives as one JSON line each (stdout, or MOS_LOG if set).
//
// Settings (environment):
//   MOS_ID      this device's MOS ID                 (default PROMPTER.MOS)
//   NCS_ID      the NCS ID it accepts                (default NEWSROOM)
//   MOS_LOWER   lower port it listens on             (default 10540)
//   MOS_UPPER   upper port it listens on             (default 10541)
//   MOS_QUERY   query port it listens on             (default 10542)
//   NCS_HOST    host of the NCS                      (default 127.0.0.1)
//   NCS_LOWER   NCS lower port it connects back to   (default 10540)
//   NCS_UPPER   NCS upper port it connects back to   (default 10541)
//   MOS_LOG     file to append the JSON lines to     (default stdout)
//
// Output lines: {"type": "ready", ...} once listening, then for every message
// received from the NCS {"type": "<mos message>", "data": {...}} with the data
// as the library parsed it (strings, numbers; times as epoch milliseconds),
// plus {"type": "raw", "xml": "..."} with the text of every TCP read.
//
// Commands on stdin (one JSON object a line) make the device talk to the NCS:
//   {"cmd": "storyStatus", "roID": "...", "storyID": "...", "status": "PLAY"}
//   {"cmd": "roStatus", "roID": "...", "status": "READY"}
//   {"cmd": "itemStatus", "roID", "storyID", "itemID", "objID", "status"}
//   {"cmd": "mosObj", "objID": "...", "slug": "...", "status": "READY"}
//   {"cmd": "roReq", "roID": "..."}
//   {"cmd": "reqMachInfo"}
// and log {"type": "reply", "cmd": ..., "data": ...} or {"type": "error", ...}.
// The device exits when stdin closes or on SIGTERM/SIGINT.
'use strict'

const fs = require('fs')
const readline = require('readline')
const { MosConnection, getMosTypes } = require('@mos-connection/connector')

const env = process.env
const cfg = {
	mosID: env.MOS_ID || 'PROMPTER.MOS',
	ncsID: env.NCS_ID || 'NEWSROOM',
	lower: Number(env.MOS_LOWER || 10540),
	upper: Number(env.MOS_UPPER || 10541),
	query: Number(env.MOS_QUERY || 10542),
	ncsHost: env.NCS_HOST || '127.0.0.1',
	ncsLower: Number(env.NCS_LOWER || 10540),
	ncsUpper: Number(env.NCS_UPPER || 10541),
}

const out = env.MOS_LOG ? fs.createWriteStream(env.MOS_LOG, { flags: 'a' }) : process.stdout
const mosTypes = getMosTypes(false)

// plain turns the library's wrapped MOS types into JSON-friendly values.
function plain(v) {
	if (v === null || v === undefined) return v
	if (Array.isArray(v)) return v.map(plain)
	if (typeof v === 'object') {
		if (mosTypes.mosString128.is(v)) return mosTypes.mosString128.stringify(v)
		if (mosTypes.mosTime.is(v)) return mosTypes.mosTime.valueOf(v)
		if (mosTypes.mosDuration.is(v)) return mosTypes.mosDuration.valueOf(v)
		const o = {}
		for (const k of Object.keys(v)) o[k] = plain(v[k])
		return o
	}
	return v
}

function record(type, data) {
	out.write(JSON.stringify({ type, time: Date.now(), data: plain(data) }) + '\n')
}

const ack = (id) => ({ ID: mosTypes.mosString128.create(id), Status: mosTypes.mosString128.create('OK'), Stories: [] })
const roIdOf = (action) => mosTypes.mosString128.stringify(action.RunningOrderID)

async function main() {
	const conn = new MosConnection({
		mosID: cfg.mosID,
		acceptsConnections: true,
		profiles: { 0: true, 1: true, 2: true, 4: true },
		ports: { lower: cfg.lower, upper: cfg.upper, query: cfg.query },
		strict: false,
		debug: false,
	})
	conn.on('error', (e) => record('libError', String(e)))
	conn.on('warning', (e) => record('libWarning', String(e)))
	conn.on('rawMessage', (source, type, message) => {
		if (source === 'incoming' && type === 'recieved') record('raw', { xml: message })
	})

	conn.onConnection((device) => {
		// Profile 0
		device.onRequestMachineInfo(async () => {
			record('reqMachInfo', {})
			return {
				manufacturer: mosTypes.mosString128.create('Sofie'),
				model: mosTypes.mosString128.create('newsroom test device'),
				hwRev: mosTypes.mosString128.create('1'),
				swRev: mosTypes.mosString128.create('4.1.1'),
				DOM: mosTypes.mosString128.create('2026-01-01'),
				SN: mosTypes.mosString128.create('0001'),
				ID: mosTypes.mosString128.create(cfg.mosID),
				time: mosTypes.mosTime.create(Date.now()),
				mosRev: mosTypes.mosString128.create('2.8.5'),
				supportedProfiles: { deviceType: 'MOS', profile0: true, profile1: true, profile2: true, profile4: true },
			}
		})
		device.onConnectionChange((status) => record('connectionChange', status))
		// Profile 1
		device.onMOSObjects(async (objs) => {
			record('mosObj', objs)
			return { ID: mosTypes.mosString128.create(0), Revision: 0, Description: mosTypes.mosString128.create(''), Status: 'ACK' }
		})
		device.onRequestMOSObject(async () => null)
		device.onRequestAllMOSObjects(async () => [])
		// Profile 2
		device.onCreateRunningOrder(async (ro) => {
			record('roCreate', ro)
			return ack(mosTypes.mosString128.stringify(ro.ID))
		})
		device.onReplaceRunningOrder(async (ro) => {
			record('roReplace', ro)
			return ack(mosTypes.mosString128.stringify(ro.ID))
		})
		device.onDeleteRunningOrder(async (roID) => {
			record('roDelete', { roID })
			return ack(mosTypes.mosString128.stringify(roID))
		})
		device.onMetadataReplace(async (ro) => {
			record('roMetadataReplace', ro)
			return ack(mosTypes.mosString128.stringify(ro.ID))
		})
		device.onRunningOrderStatus(async (s) => {
			record('roElementStat', s)
			return ack(mosTypes.mosString128.stringify(s.ID))
		})
		device.onStoryStatus(async (s) => {
			record('roElementStat', s)
			return ack(mosTypes.mosString128.stringify(s.RunningOrderId))
		})
		device.onItemStatus(async (s) => {
			record('roElementStat', s)
			return ack(mosTypes.mosString128.stringify(s.RunningOrderId))
		})
		device.onReadyToAir(async (a) => {
			record('roReadyToAir', a)
			return ack(mosTypes.mosString128.stringify(a.ID))
		})
		const elementAction = (operation) => async (action, elements, other) => {
			record('roElementAction', { operation, action, elements, other })
			return ack(roIdOf(action))
		}
		device.onROInsertStories(elementAction('INSERT'))
		device.onROInsertItems(elementAction('INSERT'))
		device.onROReplaceStories(elementAction('REPLACE'))
		device.onROReplaceItems(elementAction('REPLACE'))
		device.onROMoveStories(elementAction('MOVE'))
		device.onROMoveItems(elementAction('MOVE'))
		device.onRODeleteStories(elementAction('DELETE'))
		device.onRODeleteItems(elementAction('DELETE'))
		device.onROSwapStories(elementAction('SWAP'))
		device.onROSwapItems(elementAction('SWAP'))
		// Profile 4
		device.onRunningOrderStory(async (story) => {
			record('roStorySend', story)
			return ack(mosTypes.mosString128.stringify(story.RunningOrderId))
		})
		device.onRequestAllRunningOrders(async () => [])

		startCommands(device)
	})

	await conn.init()
	// Register the NCS (and open the connections back to its ports): messages
	// whose mosID/ncsID do not match this pair are NACKed by the library.
	await conn.connect({
		primary: {
			id: cfg.ncsID,
			host: cfg.ncsHost,
			ports: { lower: cfg.ncsLower, upper: cfg.ncsUpper, query: 0 },
			dontUseQueryPort: true,
			timeout: 2000,
			heartbeatInterval: 2000,
		},
	})
	out.write(JSON.stringify({ type: 'ready', time: Date.now(), data: cfg }) + '\n')
	// A line on stdout too, whatever MOS_LOG says, so a parent can wait for it.
	if (out !== process.stdout) process.stdout.write('READY\n')

	const stop = async () => {
		try {
			await conn.dispose()
		} finally {
			process.exit(0)
		}
	}
	process.on('SIGTERM', stop)
	process.on('SIGINT', stop)
	process.stdin.on('end', stop)
}

let commandsStarted = false
function startCommands(device) {
	if (commandsStarted) return
	commandsStarted = true
	const rl = readline.createInterface({ input: process.stdin })
	rl.on('line', async (line) => {
		if (!line.trim()) return
		let c
		try {
			c = JSON.parse(line)
		} catch (e) {
			record('error', { line, error: String(e) })
			return
		}
		const s = (x) => mosTypes.mosString128.create(x || '')
		try {
			let reply
			switch (c.cmd) {
				case 'roStatus':
					reply = await device.sendRunningOrderStatus({ ID: s(c.roID), Status: c.status, Time: mosTypes.mosTime.create(Date.now()) })
					break
				case 'storyStatus':
					reply = await device.sendStoryStatus({ RunningOrderId: s(c.roID), ID: s(c.storyID), Status: c.status, Time: mosTypes.mosTime.create(Date.now()) })
					break
				case 'itemStatus':
					reply = await device.sendItemStatus({
						RunningOrderId: s(c.roID), StoryId: s(c.storyID), ID: s(c.itemID), ObjectId: s(c.objID),
						Channel: s(c.channel), Status: c.status, Time: mosTypes.mosTime.create(Date.now()),
					})
					break
				case 'mosObj':
					reply = await device.sendMOSObject({
						ID: s(c.objID), Slug: s(c.slug), Type: c.objType || 'VIDEO', TimeBase: c.timeBase || 50,
						Revision: 1, Duration: c.duration || 500, Status: c.status || 'READY', AirStatus: 'READY',
						CreatedBy: s('device'), Created: mosTypes.mosTime.create(Date.now()),
					})
					break
				case 'roReq':
					reply = await device.sendRequestRunningOrder(s(c.roID))
					break
				case 'reqMachInfo':
					reply = await device.requestMachineInfo()
					break
				default:
					throw new Error('unknown command ' + c.cmd)
			}
			record('reply', { cmd: c.cmd, reply })
		} catch (e) {
			record('error', { cmd: c.cmd, error: String(e && e.message ? e.message : e) })
		}
	})
}

main().catch((e) => {
	process.stderr.write('device failed: ' + (e && e.stack ? e.stack : e) + '\n')
	process.exit(1)
})
