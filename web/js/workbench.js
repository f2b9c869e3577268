// The workbench screen (stub: being built).
import { registerScreen, el, t } from './core.js';

registerScreen({ id: 'workbench', nav: null, render(root) { root.append(el('p', {}, t('loading'))); } });
