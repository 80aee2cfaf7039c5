import type { Client } from '@temporalio/client';
import { queryOnce } from '../../client/status';
import type { ActivityStatus } from '../../workflows/shared';

/** Only what queryOnce touches of a client: the deadline wrapper, run as is. */
const fakeClient = () => ({ connection: { withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn() } }) as unknown as Client;

describe('status queries from one process', () => {
  it('send one query for a workflow while one is on its way, and a new one once it has answered', async () => {
    const client = fakeClient();
    let sent = 0;
    let answer!: (s: ActivityStatus) => void;
    const query = () => (sent++, new Promise<ActivityStatus>((resolve) => (answer = resolve)));
    const first = queryOnce(client, 'plan/1', Date.now() + 1000, query);
    const second = queryOnce(client, 'plan/1', Date.now() + 1000, query);
    const other = queryOnce(client, 'plan/2', Date.now() + 1000, () => (sent++, Promise.resolve({ due: 'x' } as unknown as ActivityStatus)));
    expect(sent).toBe(2);
    answer({ due: '2023-03-01' } as unknown as ActivityStatus);
    await expect(first).resolves.toEqual({ due: '2023-03-01' });
    await expect(second).resolves.toEqual({ due: '2023-03-01' });
    await other;
    void queryOnce(client, 'plan/1', Date.now() + 1000, query);
    expect(sent).toBe(3);
  });

  it('lets a failed query go, so the next asker sends a fresh one', async () => {
    const client = fakeClient();
    let sent = 0;
    await expect(queryOnce(client, 'plan/1', 0, () => (sent++, Promise.reject(new Error('deadline'))))).rejects.toThrow('deadline');
    await expect(queryOnce(client, 'plan/1', 0, () => (sent++, Promise.resolve({} as ActivityStatus)))).resolves.toEqual({});
    expect(sent).toBe(2);
  });
});
