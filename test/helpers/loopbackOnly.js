// Preloaded (NODE_OPTIONS=--require) into every bot process the tests start: a connection to anything
// but loopback is refused before it leaves the machine, and said on stderr so that a test can fail on it.
// Host names are checked before any DNS lookup, so no query leaves either.
const net = require('node:net');

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|::|::1|::ffff:127(\.\d{1,3}){3})$/i; // 0.0.0.0 and :: reach this machine
const connect = net.Socket.prototype.connect;

// Jest runs this once per test file in the same worker: wrap the real connect once only.
if (connect.name !== 'guardedConnect') net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === 'object' ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (typeof options.path !== 'string') {
    const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    if (!LOOPBACK.test(host)) {
      process.stderr.write(`OFF-LOOPBACK: a connection to ${host}:${options.port} was refused by the tests' loopback guard\n`);
      const err = Object.assign(new Error(`connect ECONNREFUSED ${host}:${options.port} (tests allow loopback only)`), { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(err));
      return this;
    }
  }
  return connect.apply(this, args);
};
