// A real local AT Protocol network for netral's Bluesky tests: PLC + PDS + AppView (+ the services the
// AppView needs) from @atproto/dev-env. Adapted from the verified recipe in the shared reference.
// A second PDS on the same PLC (PDS2_PORT) hosts repositories the AppView does not index (it follows the
// first PDS's firehose only), as accounts on another server are to an AppView that has not seen them.
// Env: PLC_PORT, PDS_PORT, PDS2_PORT, BSKY_PORT, OZONE_PORT, DB_POSTGRES_URL, DB_POSTGRES_SCHEMA, REDIS_HOST.
// Prints "PLC <url>", "PDS <url>", "PDS2 <url>", "APPVIEW <url>" and "READY in <ms>", then runs until SIGTERM.
import { TestNetwork, TestPds } from '@atproto/dev-env'
const t0 = Date.now()
const port = (name) => Number(process.env[name])
const net = await TestNetwork.create({
  plc: { port: port('PLC_PORT') },
  pds: { port: port('PDS_PORT'), hostname: 'localhost' },
  bsky: { port: port('BSKY_PORT') },
  ozone: { port: port('OZONE_PORT') },
  dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA,
})
const pds2 = await TestPds.create({ didPlcUrl: net.plc.url, port: port('PDS2_PORT'), hostname: 'localhost',
                                   inviteRequired: false })
console.log(`PLC ${net.plc.url}\nPDS ${net.pds.url}\nPDS2 ${pds2.url}\nAPPVIEW ${net.bsky.url}`)
console.log(`READY in ${Date.now() - t0} ms`)
const stop = async () => { try { await pds2.close(); await net.close() } finally { process.exit(0) } }
process.on('SIGTERM', stop); process.on('SIGINT', stop)
