// Juru's Bluesky test peer: an in-memory did:plc directory and the reference @atproto/pds.
// Configuration comes from the environment (peer.sh sets it). Prints "PDS ready <url>" once usable.
import net from 'node:net'
import { PDS, envToCfg, envToSecrets, readEnv } from '@atproto/pds'
import plc from '@did-plc/server'

// Neither server takes a host option and both would listen on every interface. Tests must stay
// on loopback, so a listen() given only a port is pinned to 127.0.0.1.
const originalListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const portOnly = typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')
  if (portOnly) args.splice(1, 0, '127.0.0.1')
  return originalListen.apply(this, args)
}

const directory = plc.PlcServer.create({ db: plc.Database.mock(), port: Number(process.env.PLC_PORT) })
await directory.start()
const env = readEnv()
const pds = await PDS.create(envToCfg(env), envToSecrets(env))
await pds.start()
console.log(`PDS ready ${pds.ctx.cfg.service.publicUrl}`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  // Never hang the test session: give the servers a few seconds to close, then leave anyway.
  setTimeout(() => process.exit(0), 5000).unref()
  await pds.destroy().catch(() => {})
  await directory.destroy().catch(() => {})
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
