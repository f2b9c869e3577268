// The console's shell: sign-in, the forced password change, the header (user, store, role,
// the screens the role may use, the language) and the hash router that shows one screen.
import { addText, api, clear, currentRoute, el, errorCode, errorText, go, screens, state, t, waitText } from './core.js';
import './booking.js';
import './workbench.js';
import './board.js';
import './reception.js';
import './repair_order.js';
import './jobs.js';
import './receivables.js';
import './complaints.js';
import './credit.js';
import './print_docs.js';
import './welcome.js';
import './archive.js';
import './parts.js';
import './dashboard.js';
import './call_reviews.js';

addText({
  zh: {
    switch_language: 'English', sign_in_title: '登录', username: '用户名', password: '密码',
    sign_in: '登录', sign_out: '退出',
    signed_in_as: (u, store, role) => `${u} · ${store} · ${role}`,
    bad_login: '用户名或密码错误',
    login_wait: (w) => `登录失败次数过多，请 ${w}后再试。`,
    change_password_title: '修改密码', change_password_why: '首次登录请设置自己的密码（8 至 128 个字符）。',
    old_password: '当前密码', new_password: '新密码', change_password: '修改密码',
    err_wrong_password: '当前密码不正确', err_weak_password: '新密码太弱：8 至 128 个字符，且不能与旧密码相同',
    nothing_here: '此角色没有可用的页面。',
    roles: { advisor: '服务顾问', caller: '客服专员', service_manager: '服务经理',
      parts_manager: '配件经理', workshop: '车间', warranty: '索赔员', admin: '管理员' },
  },
  en: {
    switch_language: '中文', sign_in_title: 'Sign in', username: 'Username', password: 'Password',
    sign_in: 'Sign in', sign_out: 'Sign out',
    signed_in_as: (u, store, role) => `${u} · ${store} · ${role}`,
    bad_login: 'Wrong username or password',
    login_wait: (w) => `Too many failed sign-ins. Try again in ${w}.`,
    change_password_title: 'Change your password', change_password_why: 'Set your own password before you start (8 to 128 characters).',
    old_password: 'Current password', new_password: 'New password', change_password: 'Change password',
    err_wrong_password: 'The current password is wrong', err_weak_password: 'Too weak: 8 to 128 characters, different from the old one',
    nothing_here: 'There is no screen for this role.',
    roles: { advisor: 'Service advisor', caller: 'Customer service', service_manager: 'Service manager',
      parts_manager: 'Parts manager', workshop: 'Workshop', warranty: 'Warranty', admin: 'Administrator' },
  },
});

const $ = (id) => document.getElementById(id);
let leave = null; // the shown screen's clean-up
let routeSeq = 0; // which route() call is the current one

function allowedScreens() {
  return screens.filter((s) => !s.allowed || s.allowed());
}

function renderHeader() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  const me = state.me;
  const signedIn = !!me && !me.user.must_change_password;
  $('signin').hidden = !!me;
  $('newpassword').hidden = !me || !me.user.must_change_password;
  $('view').hidden = !signedIn;
  $('signout').hidden = !me;
  $('who').hidden = !me;
  $('nav').hidden = !signedIn;
  if (me) {
    const role = t('roles')[me.user.role] || me.user.role;
    $('who').textContent = t('signed_in_as', me.user.display_name, me.store.name, role);
  }
  if (signedIn) {
    const { id } = currentRoute();
    clear($('nav'), allowedScreens().filter((s) => s.nav).map((s) =>
      el('a', { href: '#/' + s.id, class: s.id === id ? 'active' : null, 'aria-current': s.id === id ? 'page' : null }, t(s.nav))));
  }
}

// Shows the screen the URL names, or the role's first screen.
async function route() {
  const seq = ++routeSeq;
  if (leave) { try { leave(); } catch (e) { /* a screen's clean-up must not stop the next */ } leave = null; }
  renderHeader();
  const me = state.me;
  document.body.classList.remove('fullscreen');
  if (!me || me.user.must_change_password) return;
  const { id, params } = currentRoute();
  const list = allowedScreens();
  const s = list.find((x) => x.id === id);
  if (!s) {
    // The role's home screen (a caller starts at the workbench), else the first it may use.
    const first = list.find((x) => x.home && x.home.includes(me.user.role)) || list.find((x) => x.nav);
    if (first) go(first.id);
    else clear($('view'), el('p', {}, t('nothing_here')));
    return;
  }
  document.body.classList.toggle('fullscreen', !!s.fullscreen);
  // Each screen draws into its own box: a screen still loading when the user has moved on
  // finishes into a box no longer on the page, never over the next screen.
  const root = el('div', { class: 'screen' });
  clear($('view'), root);
  $('view').dataset.screen = s.id;
  try {
    const cleanup = (await s.render(root, params)) || null;
    // Left while loading: stop what it started (timers) instead of keeping it as current.
    if (seq !== routeSeq) { if (cleanup) cleanup(); return; }
    leave = cleanup;
  } catch (e) {
    clear(root, el('p', { class: 'error', role: 'alert' }, e.message || String(e)));
  }
}

async function loadMe() {
  // Both at once: the store's today is asked for alongside (a 401 for both when signed out).
  const [r, s] = await Promise.all([api('GET', '/me'), api('GET', '/store')]);
  state.me = r.status === 200 ? r.data : null;
  if (state.me) state.today = s.status === 200 ? s.data.today : new Date().toISOString().slice(0, 10);
  await route();
}

$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('dms_lang', state.lang);
  route();
});

$('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target;
  $('signin-error').textContent = '';
  const r = await api('POST', '/session', { username: f.username.value, password: f.password.value });
  if (r.status === 0) { $('signin-error').textContent = t('err_network'); return; }
  // Too many failures (issue 11): how long to wait; the server said it (Retry-After).
  if (r.status === 429) { $('signin-error').textContent = t('login_wait', waitText(r.data.retry_after)); return; }
  if (r.status === 503) { $('signin-error').textContent = errorText(r, { field: false }); return; }
  if (r.status !== 201) { $('signin-error').textContent = t('bad_login'); return; }
  f.password.value = '';
  await loadMe();
});

$('newpassword').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target;
  $('newpassword-error').textContent = '';
  const r = await api('POST', '/me/password', { old_password: f.old_password.value, new_password: f.new_password.value });
  if (r.status !== 200) {
    const code = errorCode(r);
    $('newpassword-error').textContent = t(code === 'weak_password' || code === 'wrong_password' ? 'err_' + code : 'err_error');
    return;
  }
  f.reset();
  await loadMe();
});

$('signout').addEventListener('click', async () => {
  await api('DELETE', '/session');
  state.me = null;
  history.replaceState(null, '', '/');
  route();
});

window.addEventListener('hashchange', () => route());
window.addEventListener('dms:signed-out', () => route());

renderHeader();
loadMe().catch(() => route());
