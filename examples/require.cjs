// CommonJS: require("pidfd") loads the package's ES modules (Node 20.19+ and 22.12+ do that
// without a flag; 22.0 to 22.11 do not, package.json's "engines" leaves them out).
//
//   node examples/require.cjs
const { PidFd } = require("pidfd");

const self = PidFd.self();          // pidfd_open(getpid())
try {
  console.log(self);                // PidFd { fd: 21, pid: 4242, state: 'open' }
  console.log(self.getPid() === process.pid);
} finally {
  self.close();
}
