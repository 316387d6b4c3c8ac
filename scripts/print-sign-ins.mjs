// Prints the softphone sign-ins and the supervisor token from <dataDir>/secrets.json (created on first start),
// so a first run can be tried at once. Used by scripts/start.sh and the container's entrypoint.
import { readFileSync } from 'node:fs';

const [file, prefix = '[start]'] = process.argv.slice(2);
let secrets;
try {
  secrets = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  process.exit(0); // no secrets yet: nothing to show
}
for (const [key, value] of Object.entries(secrets)) {
  if (key.startsWith('agent:')) console.log(`${prefix} softphone sign-in ${key.slice(6)} / ${value}`);
}
if (secrets.supervisorToken) console.log(`${prefix} supervisor token: ${secrets.supervisorToken}`);
