// The archive screen (stub: being built).
import { registerScreen, el, t } from './core.js';

registerScreen({ id: 'archive', nav: null, render(root) { root.append(el('p', {}, t('loading'))); } });
