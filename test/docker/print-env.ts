// Prints the environment docker-compose.yml gives a service, one KEY=value a line (an --env-file
// for podman/docker run), from .env entries given as arguments: print-env.ts KEY=value ...
import { composeConfig, serviceEnvironment } from './compose.js';

const dotEnv = Object.fromEntries(process.argv.slice(2).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
const env = serviceEnvironment(composeConfig(dotEnv), process.env.SERVICE ?? 'rift');
console.log(
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n'),
);
