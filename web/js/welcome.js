// The welcome board at reception (MR-7): the day's booked customers, masked as the API
// gives them (王先生, 粤B·***45), by time, in type readable from across the room. It reloads
// every minute and ticks a clock every second; a long list turns its pages by itself.
// Escape or the small link in the corner goes back to the console.
import { addText, api, clear, date, debounce, el, go, registerScreen, state, t } from './core.js';

addText({
  zh: {
    welcome_nav: '欢迎屏', welcome_heading: '欢迎预约客户', welcome_sub: '预约客户优先接待，请到预约专用通道',
    welcome_empty: '今日暂无预约客户', welcome_back: '返回控制台', welcome_offline: '暂时无法更新',
    welcome_col_time: '时间', welcome_col_name: '客户', welcome_col_plate: '车牌',
    welcome_greeting: (n) => `欢迎 ${n}`,
    welcome_status: { arrived: '已到店', in_service: '维修中', completed: '已完工' },
    welcome_page: (i, n) => `${i} / ${n}`,
  },
  en: {
    welcome_nav: 'Welcome board', welcome_heading: 'Welcome, our booked customers',
    welcome_sub: 'Booked customers are served first at the appointment desk',
    welcome_empty: 'No booked customers today', welcome_back: 'Back to the console', welcome_offline: 'Cannot update right now',
    welcome_col_time: 'Time', welcome_col_name: 'Customer', welcome_col_plate: 'Plate',
    welcome_greeting: (n) => `Welcome, ${n}`,
    welcome_status: { arrived: 'Arrived', in_service: 'In service', completed: 'Completed' },
    welcome_page: (i, n) => `${i} / ${n}`,
  },
});

const RELOAD_MS = 60000;
const PAGE_MS = 10000;

function storeClock() {
  const tz = (state.me && state.me.store && state.me.store.timezone) || undefined;
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}

registerScreen({
  id: 'welcome',
  nav: 'welcome_nav',
  fullscreen: true,
  allowed: () => true,
  render(root) {
    let items = [];
    let page = 0;
    let pages = 0; // of the list as last drawn
    let loaded = false; // a list has come at least once
    const hm = el('span', {});
    const sec = el('span', { class: 'welcome-seconds' });
    const clock = el('time', { class: 'welcome-clock' }, hm, sec);
    const dateLine = el('span', { class: 'welcome-date' });
    const status = el('span', { class: 'welcome-offline', role: 'status', hidden: true }, t('welcome_offline'));
    const list = el('div', { class: 'welcome-list', role: 'list' });
    const pager = el('div', { class: 'welcome-pager', 'aria-hidden': 'true' });
    const foot = el('footer', { class: 'welcome-foot' }, status,
      el('a', { href: '#/board', class: 'welcome-back' }, t('welcome_back')));
    const board = el('div', { class: 'welcome' },
      el('header', { class: 'welcome-top' },
        el('span', { class: 'welcome-store' }, (state.me && state.me.store && state.me.store.name) || ''),
        el('span', { class: 'welcome-when' }, dateLine, clock)),
      el('h1', { class: 'welcome-heading' }, t('welcome_heading')),
      el('p', { class: 'welcome-sub' }, t('welcome_sub')),
      el('div', { class: 'welcome-head', 'aria-hidden': 'true' },
        el('span', {}, t('welcome_col_time')), el('span', {}, t('welcome_col_name')), el('span', {}, t('welcome_col_plate')), el('span', {})),
      list, pager, foot);
    clear(root, board);

    function tick() {
      const c = storeClock();
      hm.textContent = c.time.slice(0, 5);
      sec.textContent = c.time.slice(5);
      dateLine.textContent = date(c.day);
    }

    // How many rows fit between the heading and the foot of the screen.
    function perPage() {
      const row = list.querySelector('.welcome-row');
      const h = Math.max(40, row ? row.getBoundingClientRect().height : 80);
      const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
      const below = pager.getBoundingClientRect().height + foot.getBoundingClientRect().height +
        (parseFloat(getComputedStyle(board).paddingBottom) || 0);
      const room = window.innerHeight - list.getBoundingClientRect().top - below;
      return Math.max(3, Math.floor((room + gap) / (h + gap)));
    }

    function draw() {
      if (!loaded) return; // the wait or the offline line stays
      if (!items.length) {
        pages = 0;
        clear(list, el('p', { class: 'welcome-empty' }, t('welcome_empty')));
        clear(pager);
        return;
      }
      // One row to measure, then the page.
      clear(list, row(items[0]));
      const n = perPage();
      pages = Math.ceil(items.length / n);
      if (page >= pages) page = 0;
      clear(list, items.slice(page * n, page * n + n).map(row));
      clear(pager, pages > 1 ? t('welcome_page', page + 1, pages) : '');
    }

    function row(x) {
      const st = (t('welcome_status') || {})[x.status];
      return el('div', { class: 'welcome-row' + (st ? ' welcome-' + x.status : ''), role: 'listitem', dataset: { status: x.status || '' } },
        el('span', { class: 'welcome-time' }, x.time || ''),
        el('span', { class: 'welcome-name' }, t('welcome_greeting', x.name || '')),
        el('span', { class: 'welcome-plate' }, x.plate || ''),
        el('span', { class: 'welcome-state' }, st || ''));
    }

    // The list comes in the order of the start times (GET /board/welcome). A failed load keeps
    // the list shown and says so; when none was ever shown, the list says it instead.
    async function load() {
      const r = await api('GET', '/board/welcome');
      if (r.status !== 200) {
        status.hidden = false;
        if (!loaded) clear(list, el('p', { class: 'welcome-empty' }, t('welcome_offline')));
        return;
      }
      status.hidden = true;
      loaded = true;
      items = r.data.items || [];
      draw();
    }

    const onKey = (e) => {
      if (e.key === 'Escape') { e.preventDefault(); go('board'); }
    };
    const onResize = debounce(draw, 150);
    document.addEventListener('keydown', onKey);
    window.addEventListener('resize', onResize);
    const clockTimer = setInterval(tick, 1000);
    const reloadTimer = setInterval(load, RELOAD_MS);
    const pageTimer = setInterval(() => {
      if (pages > 1) { page += 1; draw(); }
    }, PAGE_MS);
    tick();
    clear(list, el('p', { class: 'welcome-empty' }, t('loading')));
    load();
    return () => {
      clearInterval(clockTimer);
      clearInterval(reloadTimer);
      clearInterval(pageTimer);
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('resize', onResize);
    };
  },
});
