/** The wall displays standing: made, their queues changed and withdrawn, each refusal with its reason. */
import { describe, expect, it } from 'vitest';
import { DISPLAYS_MAX, WallDisplays } from '../../../src/supervision/wall-displays.js';

const QUEUES = ['sales', 'support', 'billing'];
const SAM = { id: 'sam', name: 'Sam Super' };

function registry() {
  let n = 0;
  return new WallDisplays([], () => `wd-${++n}`);
}

describe('wall displays', () => {
  it('are made with a trimmed name, by whom, showing every queue or those named', () => {
    const displays = registry();
    expect(displays.make({ name: '  Floor TV ' }, 1000, QUEUES, SAM)).toEqual({
      display: { id: 'wd-1', name: 'Floor TV', createdAt: 1000, createdBy: SAM },
    });
    expect(displays.make({ name: 'Billing team', queueIds: ['billing', 'sales'] }, 2000, QUEUES)).toEqual({
      display: { id: 'wd-2', name: 'Billing team', createdAt: 2000, queueIds: ['billing', 'sales'] },
    });
    expect(displays.list().map((d) => d.id)).toEqual(['wd-1', 'wd-2']);
  });

  it('refuse queues that are none, twice the same or not defined, saying which', () => {
    const displays = registry();
    const refused = (queueIds: string[]) => displays.make({ name: 'TV', queueIds }, 0, QUEUES);
    expect(refused([])).toEqual({
      refused: {
        code: 'DISPLAY_QUEUES_INVALID',
        message: 'a wall display shows at least one queue: leave `queueIds` out for every queue',
      },
    });
    expect(refused(['sales', 'sales'])).toMatchObject({ refused: { message: 'queue sales is given twice' } });
    expect(refused(['sales', 'nope', 'gone'])).toMatchObject({
      refused: { message: 'no queue "nope", "gone": the queues are sales, support, billing' },
    });
    expect(refused(Array.from({ length: 51 }, (_, i) => `q${i}`))).toMatchObject({
      refused: { code: 'DISPLAY_QUEUES_INVALID' },
    });
    expect(displays.list()).toEqual([]);
  });

  it('change the queues they show, back to every queue too; not for one withdrawn', () => {
    const displays = registry();
    displays.make({ name: 'TV' }, 0, QUEUES);
    expect(displays.showQueues('wd-1', ['support'], QUEUES)).toEqual({
      display: { id: 'wd-1', name: 'TV', createdAt: 0, queueIds: ['support'] },
    });
    expect(displays.showQueues('wd-1', ['nope'], QUEUES)).toMatchObject({
      refused: { code: 'DISPLAY_QUEUES_INVALID' },
    });
    expect(displays.get('wd-1')?.queueIds).toEqual(['support']);
    // A change the record could not keep is put back; one withdrawn meanwhile stays withdrawn.
    const before = displays.get('wd-1');
    displays.showQueues('wd-1', ['sales'], QUEUES);
    if (before) displays.putBack(before);
    expect(displays.get('wd-1')?.queueIds).toEqual(['support']);
    expect(displays.showQueues('wd-1', null, QUEUES)).toEqual({
      display: { id: 'wd-1', name: 'TV', createdAt: 0 },
    });
    expect(displays.withdraw('wd-1')).toMatchObject({ display: { id: 'wd-1' } });
    const gone = {
      refused: {
        code: 'DISPLAY_NOT_FOUND',
        message: 'no wall display wd-1 stands (it was withdrawn already, or never made)',
      },
    };
    expect(displays.withdraw('wd-1')).toEqual(gone);
    displays.putBack({ id: 'wd-1', name: 'TV', createdAt: 0 });
    expect(displays.get('wd-1')).toBeUndefined();
    expect(displays.showQueues('wd-1', null, QUEUES)).toEqual(gone);
  });

  it('refuse a name one standing has (whatever its case), and more than the limit', () => {
    let made = 0;
    const displays = new WallDisplays(
      Array.from({ length: DISPLAYS_MAX - 1 }, (_, i) => ({
        id: `old-${i}`,
        name: `Screen ${i}`,
        createdAt: i,
      })),
      () => `wd-new-${++made}`,
    );
    expect(displays.make({ name: 'SCREEN 3' }, 0, QUEUES)).toMatchObject({
      refused: { code: 'DISPLAY_NAME_TAKEN' },
    });
    expect(displays.make({ name: 'Last one' }, 0, QUEUES)).toMatchObject({ display: { id: 'wd-new-1' } });
    expect(displays.make({ name: 'One more' }, 0, QUEUES)).toEqual({
      refused: {
        code: 'TOO_MANY_DISPLAYS',
        message: `${DISPLAYS_MAX} wall displays stand already: withdraw the ones no screen shows any more first`,
      },
    });
    // A name freed by a withdrawal can be given again.
    displays.withdraw('old-3');
    expect(displays.make({ name: 'Screen 3' }, 0, QUEUES)).toMatchObject({ display: { name: 'Screen 3' } });
  });
});
