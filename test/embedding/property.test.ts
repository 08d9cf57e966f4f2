// Property tests (fast-check) of the boundary and the decoders: the properties of properties.ts
// (every import of createHostImports, every export of the core, the public decoders), 10,000
// cases in all. `npm run fuzz` runs the same properties with a million (test/fuzz/run.ts).
import fc from "fast-check";
import { PROPERTIES, withRuns } from "./properties.js";

const CASES = 10_000;

const groups = new Map<string, ReturnType<typeof withRuns>>();
for (const entry of withRuns(PROPERTIES, CASES)) groups.set(entry[0].group, [...(groups.get(entry[0].group) ?? []), entry]);

for (const [group, properties] of groups) {
  describe(`property: ${group}`, () => {
    for (const [property, runs] of properties) {
      it(`${property.name} (${runs} cases)`, function () {
        this.timeout(60000);
        fc.assert(property.make(), { numRuns: runs });
      });
    }
  });
}
