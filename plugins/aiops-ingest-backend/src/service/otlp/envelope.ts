import { InputError } from '@backstage/errors';
import type { Labels } from '@aiops/plugin-aiops-common';
import { type Json, isObject, requireObject } from '../validation';
import {
  flattenAttributes,
  labelsKey,
  optionalArray,
  optionalObject,
} from './attributes';

/** The resource that sent a batch: its attributes as labels, and their stable identity. */
export interface OtlpResource {
  labels: Labels;
  key: string;
}

/** The field names of one signal's envelope, e.g. `resourceMetrics` → `scopeMetrics` → `metrics`. */
export interface EnvelopeFields {
  resources: string;
  scopes: string;
  items: string;
}

/**
 * Walks `{resources: [{resource, scopes: [{scope, items: [...]}]}]}`, the shape all three OTLP
 * signals share, and hands each item to `visit` with its JSON path and its resource. Missing
 * lists are empty, as in proto3: an empty request is valid.
 */
export function forEachItem(
  body: Json,
  fields: EnvelopeFields,
  visit: (item: Json, path: string, resource: OtlpResource) => void,
): void {
  if (!isObject(body)) {
    throw new InputError(
      `request body must be an OTLP JSON object with ${fields.resources}`,
    );
  }
  optionalArray(body[fields.resources], fields.resources).forEach(
    (entry, r) => {
      const resourcePath = `${fields.resources}[${r}]`;
      const resourceEntry = requireObject(entry, resourcePath);
      const resource = optionalObject(
        resourceEntry.resource,
        `${resourcePath}.resource`,
      );
      const labels = flattenAttributes(
        resource.attributes,
        `${resourcePath}.resource.attributes`,
      );
      const owner: OtlpResource = { labels, key: labelsKey(labels) };
      const scopesPath = `${resourcePath}.${fields.scopes}`;
      optionalArray(resourceEntry[fields.scopes], scopesPath).forEach(
        (scopeEntry, s) => {
          const scopePath = `${scopesPath}[${s}]`;
          const scope = requireObject(scopeEntry, scopePath);
          const itemsPath = `${scopePath}.${fields.items}`;
          optionalArray(scope[fields.items], itemsPath).forEach((item, i) => {
            visit(item, `${itemsPath}[${i}]`, owner);
          });
        },
      );
    },
  );
}
