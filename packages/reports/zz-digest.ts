import { runDigest } from '@gbfleet/reports';
console.log(await runDigest(process.argv[2] as string));
