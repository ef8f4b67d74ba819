import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** One axe-core rule a page breaks, with the selectors of the nodes that break it. */
export interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly nodes: string[];
}

/**
 * Runs axe-core on the page as it is now: its default rules plus the experimental one that an
 * accessible name contains the visible label. The script is evaluated through the DevTools
 * protocol, which the page's strict CSP does not govern. Throws when axe checked nothing.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type AxeResults = {
      passes: unknown[];
      violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
    };
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }
    ).axe;
    const results = await axe.run(document, {
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    if (results.passes.length === 0) throw new Error('axe-core checked no rule on the page');
    return results.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
}
