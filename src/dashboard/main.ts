/** Entry point of index.html: builds the dashboard and starts polling the chosen feed. */
import { Dashboard } from './dashboard.ts';

const dashboard = new Dashboard();
// Whatever throws later, in any callback, becomes the page's error state, never an endless "loading".
addEventListener('error', (event) => dashboard.crashed(event.error ?? event.message));
addEventListener('unhandledrejection', (event) => dashboard.crashed(event.reason));
dashboard.start();
