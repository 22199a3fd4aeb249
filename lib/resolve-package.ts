// Where a package's entry file is, as the main thread would load it: code run
// on a worker thread requires it by this absolute path, so that no bundler
// needs to see the thread's source.
import { createRequire } from "node:module";
import path from "node:path";

/** From the started script's folder up, else from the working folder. */
export function resolvePackage(name: string): string {
  const bases = [process.argv[1], path.join(process.cwd(), "package.json")].filter(Boolean) as string[];
  for (const base of bases) {
    try {
      return createRequire(path.resolve(base)).resolve(name);
    } catch {
      // try the next base
    }
  }
  throw new Error(`Cannot find ${name} from the started script or the working folder (run npm ci).`);
}
