/**
 * The order operations run in. RFC 7644 §3.7: the server "MAY elect to optimize the sequence of
 * operations received ... [it] MUST ensure that the client's intent is preserved and the same
 * stateful result is achieved as for non-optimized processing", e.g. a User is created before the
 * Group that lists it. So the order moves as little as possible: request order, except that an
 * operation waits until what it refers to has run (a stable topological sort: of the operations
 * free to run, the earliest in the request goes first). Operations that refer to each other, a
 * cycle (§3.7.1), come out together as one component, because none can go first on its own.
 *
 * Written here rather than taken from a graph library: the libraries offer Tarjan's components or
 * an unstable topological sort, and the part that matters, the stable order, is the few lines below.
 * Both passes are iterative, so a chain of 1,000 references cannot overflow the stack.
 */

/** Tarjan's strongly connected components; each component's nodes in ascending order. */
const components = (dependsOn: readonly (readonly number[])[]): number[][] => {
  const count = dependsOn.length;
  const order = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const found: number[][] = [];
  let next = 0;

  const visit = (node: number, frames: [number, number][]) => {
    order[node] = low[node] = next++;
    stack.push(node);
    onStack[node] = true;
    frames.push([node, 0]);
  };

  for (let root = 0; root < count; root++) {
    if (order[root] !== -1) continue;
    const frames: [number, number][] = [];
    visit(root, frames);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const node = frame[0];
      const edges = dependsOn[node];
      if (frame[1] < edges.length) {
        const target = edges[frame[1]++];
        if (order[target] === -1) visit(target, frames);
        else if (onStack[target]) low[node] = Math.min(low[node], order[target]);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] !== order[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = false;
        component.push(member);
      } while (member !== node);
      found.push(component.sort((a, b) => a - b));
    }
  }
  return found;
};

/** Inserts `value` into the ascending `sorted`, keeping it sorted. */
const insertSorted = (sorted: number[], value: number): void => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
};

/**
 * `dependsOn[i]` lists the nodes node `i` needs done first (indexes into the same array). Returns
 * the components in execution order: each after every component it depends on, ties broken by
 * the smallest node index. A component has several nodes, or one node that depends on itself,
 * exactly when it is a cycle.
 */
export const orderComponents = (dependsOn: readonly (readonly number[])[]): number[][] => {
  const found = components(dependsOn);
  const componentOf = new Array<number>(dependsOn.length);
  found.forEach((component, c) => component.forEach((node) => (componentOf[node] = c)));

  const waitingOn = found.map(() => 0);
  const dependents: number[][] = found.map(() => []);
  found.forEach((component, c) => {
    const needs = new Set(component.flatMap((node) => dependsOn[node].map((target) => componentOf[target])));
    needs.delete(c);
    waitingOn[c] = needs.size;
    for (const need of needs) dependents[need].push(c);
  });

  // Components are keyed by their first node: the ready list stays in request order.
  const byFirst = new Map(found.map((component, c) => [component[0], c]));
  const ready: number[] = [];
  found.forEach((component, c) => waitingOn[c] === 0 && insertSorted(ready, component[0]));
  const ordered: number[][] = [];
  while (ready.length > 0) {
    const c = byFirst.get(ready.shift()!)!;
    ordered.push(found[c]);
    for (const dependent of dependents[c]) if (--waitingOn[dependent] === 0) insertSorted(ready, found[dependent][0]);
  }
  return ordered;
};
