// Spawns `sleep 1000`, prints its pid and unref()s it: the runtime must then end by itself.
import { spawn } from "../../host/index.js";

const child = spawn("sleep", ["1000"], { stdio: "ignore" });
child.exited.catch(() => {});
console.log(child.pid);
child.unref();
