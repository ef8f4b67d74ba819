/** Entry point of index.html: builds the dashboard and starts polling the chosen feed. */
import { Dashboard } from './dashboard.ts';

new Dashboard().start();
