// The wallboard's way around: a link to each of its parts (live ones first), and a wall display that shows
// only what a screen on the wall is for (the queues, help wanted, the agents), large. The address keeps the
// wall display (`?view=wall`), so a screen's bookmark opens in it.

const WALL = 'wall';

/** @param {{ announce: (message: string) => void }} page */
export function initBoardNav(page) {
  const nav = /** @type {HTMLElement} */ (document.getElementById('board-nav'));
  const wallButton = /** @type {HTMLButtonElement} */ (document.getElementById('wall-display'));

  // A link to a part the service has not turned on (switches, webhooks) or with nothing in it now (help
  // wanted) hides with it: its section's `hidden` says so, whenever it changes.
  const follow = new MutationObserver((changes) => {
    for (const change of changes) showLinksTo(/** @type {HTMLElement} */ (change.target));
  });
  /** @type {Map<HTMLElement, HTMLElement[]>} */
  const linksBySection = new Map();
  for (const link of nav.querySelectorAll('a[href^="#"]')) {
    const section = document.getElementById(link.getAttribute('href')?.slice(1) ?? '')?.closest('section');
    if (!section) continue;
    const item = /** @type {HTMLElement} */ (link.closest('li'));
    linksBySection.set(section, [...(linksBySection.get(section) ?? []), item]);
  }
  function showLinksTo(/** @type {HTMLElement} */ section) {
    for (const item of linksBySection.get(section) ?? []) item.hidden = section.hidden;
  }
  for (const section of linksBySection.keys()) {
    showLinksTo(section);
    follow.observe(section, { attributes: true, attributeFilter: ['hidden'] });
  }

  function showWall(/** @type {boolean} */ on) {
    document.body.dataset.view = on ? WALL : '';
    wallButton.setAttribute('aria-pressed', String(on));
    wallButton.textContent = on ? 'Leave wall display' : 'Wall display';
    const address = new URL(location.href);
    if (on) address.searchParams.set('view', WALL);
    else address.searchParams.delete('view');
    if (on) address.hash = ''; // a screen's bookmark opens at the top
    if (address.href !== location.href) history.replaceState(history.state, '', address);
  }
  wallButton.addEventListener('click', () => {
    const on = document.body.dataset.view !== WALL;
    showWall(on);
    page.announce(on ? 'Wall display: the queues, help wanted and the agents' : 'The whole wallboard');
  });
  showWall(new URL(location.href).searchParams.get('view') === WALL);
}
