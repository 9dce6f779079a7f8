/**
 * The meter's table of critical message codes agrees with DCC's reference messages (a reference
 * command is signed exactly when its code is critical) and with gbfleet's service requests.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeFrame, formatMessageCode, isCriticalCommand, SERVICE_REQUESTS } from '../src/index.ts';
import { rtdsMessages } from './helpers/rtds.ts';

test('a reference command is signed exactly when its message code is critical', () => {
  let critical = 0;
  let other = 0;
  for (const m of rtdsMessages()) {
    if (m.kind !== 'COMMAND') continue;
    const r = decodeFrame(m.bytes);
    if (!r.ok || !r.frame.macWrapped) continue;
    const code = r.frame.messageCode;
    assert.is(isCriticalCommand(code), r.frame.signature !== null, `${m.name} (${formatMessageCode(code)})`);
    if (isCriticalCommand(code)) critical++;
    else other++;
  }
  assert.ok(critical > 50 && other > 50, `${critical} critical and ${other} other reference commands`);
});

test("every service request's criticality is its message code's", () => {
  for (const def of SERVICE_REQUESTS) {
    assert.is(isCriticalCommand(def.messageCode), def.critical, `${def.sr} ${def.name}`);
  }
});

test.run();
