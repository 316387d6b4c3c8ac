// Prints the softphone sign-ins, the supervisors' sign-ins and the supervisor token from <dataDir>/secrets.json (created on first start),
// so a first run can be tried at once; on a terminal only. Used by scripts/start.sh and the container's entrypoint.
import { readFileSync } from 'node:fs';

const [file, prefix = '[start]'] = process.argv.slice(2);
let secrets;
try {
  secrets = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  process.exit(0); // no secrets yet: nothing to show
}
// Secrets go to a person at a terminal, not into a log collector (a container's or a service manager's
// output): there only the file is named.
if (!process.stdout.isTTY) {
  console.log(
    `${prefix} softphone and supervisor sign-ins and the supervisor token are in ${file} (not printed: the output is not a terminal)`,
  );
  process.exit(0);
}
for (const [key, value] of Object.entries(secrets)) {
  if (key.startsWith('agent:')) console.log(`${prefix} softphone sign-in ${key.slice(6)} / ${value}`);
}
for (const [key, value] of Object.entries(secrets)) {
  if (key.startsWith('supervisor:')) console.log(`${prefix} supervisor sign-in ${key.slice(11)} / ${value}`);
}
if (secrets.supervisorToken) console.log(`${prefix} supervisor token: ${secrets.supervisorToken}`);
