// The dms web console. No inline script (the Content-Security-Policy forbids it); every
// value from the server is put into the page as text (textContent), never as HTML.
'use strict';

const TEXT = {
  zh: {
    switch_language: 'English', sign_in_title: '登录', username: '用户名', password: '密码',
    sign_in: '登录', sign_out: '退出', welcome: '欢迎',
    signed_in_as: (u, store, role) => `${u} · ${store} · ${role}`,
    home_text: (u) => `${u}，您已登录。`,
    bad_login: '用户名或密码错误', network: '无法连接服务器',
    roles: { advisor: '服务顾问', caller: '客服专员', service_manager: '服务经理',
      parts_manager: '配件经理', workshop: '车间', warranty: '索赔员', admin: '管理员' },
  },
  en: {
    switch_language: '中文', sign_in_title: 'Sign in', username: 'Username', password: 'Password',
    sign_in: 'Sign in', sign_out: 'Sign out', welcome: 'Welcome',
    signed_in_as: (u, store, role) => `${u} · ${store} · ${role}`,
    home_text: (u) => `${u}, you are signed in.`,
    bad_login: 'Wrong username or password', network: 'Cannot reach the server',
    roles: { advisor: 'Service advisor', caller: 'Customer service', service_manager: 'Service manager',
      parts_manager: 'Parts manager', workshop: 'Workshop', warranty: 'Warranty', admin: 'Administrator' },
  },
};

let lang = localStorage.getItem('dms_lang') === 'en' ? 'en' : 'zh';
let me = null;

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[lang][key];

function cookie(name) {
  const m = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return m ? decodeURIComponent(m.slice(name.length + 1)) : '';
}

// Calls the JSON API with the session cookie; writes carry the CSRF header.
async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = cookie('dms_csrf');
  const res = await fetch('/api/v1' + path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  return { status: res.status, data };
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('signin').hidden = !!me;
  $('home').hidden = !me;
  $('signout').hidden = !me;
  $('who').hidden = !me;
  if (me) {
    const role = t('roles')[me.user.role] || me.user.role;
    $('who').textContent = t('signed_in_as')(me.user.display_name, me.store.name, role);
    $('home-text').textContent = t('home_text')(me.user.display_name);
  }
}

async function loadMe() {
  const r = await api('GET', '/me');
  me = r.status === 200 ? r.data : null;
  render();
}

$('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('dms_lang', lang);
  render();
});

$('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target;
  $('signin-error').textContent = '';
  try {
    const r = await api('POST', '/session', { username: f.username.value, password: f.password.value });
    if (r.status !== 201) { $('signin-error').textContent = t('bad_login'); return; }
    f.password.value = '';
    await loadMe();
  } catch (err) {
    $('signin-error').textContent = t('network');
  }
});

$('signout').addEventListener('click', async () => {
  await api('DELETE', '/session');
  me = null;
  render();
});

render();
loadMe().catch(() => render());
