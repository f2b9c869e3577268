// The parts screen (stub: being built).
import { registerScreen, el, t } from './core.js';

registerScreen({ id: 'parts', nav: null, render(root) { root.append(el('p', {}, t('loading'))); } });
