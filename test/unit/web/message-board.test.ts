/** The messages a page shows (softphone and wallboard alike): listed, then followed on the live stream. */
import { describe, expect, it } from 'vitest';
import { MessageBoard, type SupervisorMessage } from '../../../src/web/common/message-board.js';

const T0 = Date.parse('2026-12-05T12:00:00Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const message = (id: string, sentMs: number, minutes = 60): SupervisorMessage => ({
  id,
  text: `message ${id}`,
  to: { type: 'all' },
  sentAt: iso(sentMs),
  expiresAt: iso(sentMs + minutes * 60_000),
  from: { id: 'sam', name: 'Sam Super' },
  reaches: 2,
  readBy: [],
  replies: [],
});

describe('MessageBoard', () => {
  it('follows messages sent, read, replied to and withdrawn; shows those not run out, oldest first', async () => {
    const board = new MessageBoard(async () => ({ items: [message('b', 2000), message('a', 1000, 1)] }));
    await board.load();
    expect(board.showing(T0 + 5000).map((m) => m.id)).toEqual(['a', 'b']);
    expect(board.showing(T0 + 61_000).map((m) => m.id)).toEqual(['b']); // a ran out
    board.apply({ type: 'message.sent', data: { message: message('c', 3000) } });
    board.apply({ type: 'message.read', data: { messageId: 'b', agentId: 'agent1', readAt: iso(4000) } });
    board.apply({ type: 'message.read', data: { messageId: 'b', agentId: 'agent1', readAt: iso(9000) } });
    const reply = { messageId: 'b', agentId: 'agent1', text: 'I can stay until 7', at: iso(5000) };
    board.apply({ type: 'message.replied', data: reply });
    board.apply({ type: 'message.replied', data: reply }); // told twice (the page's own and the stream's)
    board.apply({ type: 'message.replied', data: { ...reply, text: 'Or 8', at: iso(6000) } });
    board.apply({ type: 'message.replied', data: { ...reply, messageId: 'gone' } });
    const b = board.byId.get('b')!;
    expect(b.readBy).toEqual([{ agentId: 'agent1', at: iso(4000) }]);
    expect(b.replies).toEqual([
      { agentId: 'agent1', text: 'I can stay until 7', at: iso(5000) },
      { agentId: 'agent1', text: 'Or 8', at: iso(6000) },
    ]);
    board.apply({ type: 'message.withdrawn', data: { messageId: 'a' } });
    expect(board.showing(T0 + 5000).map((m) => m.id)).toEqual(['b', 'c']);
    expect(board.showing(T0 + 5000, (m) => m.readBy.length === 0).map((m) => m.id)).toEqual(['c']);
  });
});
