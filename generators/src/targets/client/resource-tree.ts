// Groups operations into the nested resource classes of a generated client.
import { dedupe, pascalIdentifier } from '../../model/names.ts';
import type { OperationModel } from '../../model/types.ts';

export interface ResourceNode {
  /** Property path from the client root, e.g. ['wallets', 'transactions']. */
  path: string[];
  /** Generated class name, e.g. 'WalletsTransactionsResource' (the client's own name at the root). */
  className: string;
  children: ResourceNode[];
  operations: OperationModel[];
}

/** The resource tree in first-appearance order; class names are unique across the file. */
export function buildResourceTree(operations: OperationModel[], clientClassName: string, reserved: Set<string>): ResourceNode {
  const root: ResourceNode = { path: [], className: clientClassName, children: [], operations: [] };
  for (const op of operations) {
    let node = root;
    for (const segment of op.resource.path) {
      let child = node.children.find((c) => c.path.at(-1) === segment);
      if (!child) {
        child = { path: [...node.path, segment], className: '', children: [], operations: [] };
        node.children.push(child);
      }
      node = child;
    }
    node.operations.push(op);
  }
  const nodes = allNodes(root).slice(1);
  const names = dedupe([clientClassName, ...[...reserved].sort(), ...nodes.map((n) => `${pascalIdentifier(n.path.join(' '))}Resource`)]);
  nodes.forEach((node, i) => {
    node.className = names[i + 1 + reserved.size]!;
  });
  return root;
}

export function allNodes(root: ResourceNode): ResourceNode[] {
  return [root, ...root.children.flatMap(allNodes)];
}
