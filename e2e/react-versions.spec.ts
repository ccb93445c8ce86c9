import { fixtureDir } from './support/builds.ts';
import { aggregates, expect, handler, status, test } from './support/test.ts';

for (const version of [18, 19] as const) {
  test(`tells transition from blocking updates in React ${version}`, async ({ page, serve, pageErrors }) => {
    const server = await serve(fixtureDir(version));
    await page.goto(server.url);
    await expect(page.locator('main')).toHaveAttribute('data-react', new RegExp(`^${version}\\.`));
    for (const name of ['blocking', 'transition', 'use-transition', 'none']) {
      for (let i = 0; i < 3; i++) await page.getByRole('button', { name, exact: true }).click();
    }
    await expect(page.locator('p')).toHaveText('a=3 b=6 ');

    const st = await status(page);
    expect(st.session.react).toEqual({ version: expect.stringMatching(new RegExp(`^${version}\\.`)), lanes: true, commits: 'hook' });
    const snap = await aggregates(page);
    expect(handler(snap, 'blockingUpdate')).toMatchObject({ count: 3, transitionShare: 0, modes: expect.objectContaining({ blocking: 3 }) });
    expect(handler(snap, 'transitionUpdate')).toMatchObject({ count: 3, transitionShare: 1 });
    // React 18's useTransition schedules its isPending=true update urgently before the
    // transition; React 19 makes it part of the transition. Both are what React really did.
    expect(handler(snap, 'hookTransition')).toMatchObject({
      count: 3,
      transitionShare: 1,
      modes: expect.objectContaining(version === 18 ? { mixed: 3 } : { transition: 3 }),
    });
    expect(handler(snap, 'noUpdate')).toMatchObject({ count: 3, transitionShare: null, modes: expect.objectContaining({ none: 3 }) });
    // Blocking updates flushed inside the click: their commit is the call's blocking time.
    expect(handler(snap, 'blockingUpdate').commit!.count).toBe(3);
    expect(handler(snap, 'blockingUpdate').blocking.p50).toBeGreaterThan(handler(snap, 'transitionUpdate').blocking.p50);
    expect(pageErrors).toEqual([]);
  });
}
