import type { Catalogue } from '../src/catalogue/load.ts';
import { findRoot } from '../src/catalogue/root.ts';
import { catalogueOfCurrentRun } from '../src/run/run-plan.ts';

/**
 * The loader, for reporters outside a packgate run's runner (merge-reports of blob reports without
 * packgate's config): imported with the reporter, as its events cannot wait for it. In a run, the
 * config has loaded the catalogue by the time reporters are imported, and nothing loads here.
 */
const loader = catalogueOfCurrentRun() ? undefined : await import('../src/catalogue/load.ts');

/** The catalogue the runner loaded for this run; else the one at or above `rootDir`, loaded from disk. */
export function runCatalogue(rootDir: string): Catalogue {
  const ofRun = catalogueOfCurrentRun();
  if (ofRun) return ofRun;
  const { loadCatalogueOrThrow } = loader ?? failLoaderMissing();
  return loadCatalogueOrThrow(findRoot(rootDir));
}

function failLoaderMissing(): never {
  throw new Error('the run plan named a catalogue when the reporter loaded, and none now');
}
