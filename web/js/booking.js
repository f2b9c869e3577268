// The booking screen (stub: being built).
import { registerScreen, el, t } from './core.js';

registerScreen({ id: 'booking', nav: null, render(root) { root.append(el('p', {}, t('loading'))); } });
