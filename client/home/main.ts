/**
 * The home page (/): two lines on what Ombud is, and the ways on.
 * Test hooks: #lang-picker, #home-check (→ /status), #home-team (→ /team).
 */
import { mountLanguagePicker } from '../lib/lang-picker.ts';
import { installListen } from '../lib/listen.ts';

mountLanguagePicker();
installListen();
