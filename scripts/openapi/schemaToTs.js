/**
 * OpenAPI 3.0 schemas to TypeScript type text: pure functions over the parsed spec. Covers what
 * this repository's specs use ($ref, allOf, oneOf, anyOf, enum, nullable, arrays, objects with
 * properties or additionalProperties, free-form objects).
 */
'use strict';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `#/components/<section>/<Name>` → `Name`. */
function refName(ref) {
  const match = /^#\/components\/[A-Za-z]+\/([A-Za-z0-9_]+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref}: only local components`);
  return match[1];
}

/** Follows a `$ref` to `#/components/<section>/…`, once per level, until a plain object. */
function resolve(spec, value) {
  let current = value;
  const seen = new Set();
  while (current && current.$ref) {
    if (seen.has(current.$ref))
      throw new Error(`$ref cycle at ${current.$ref}`);
    seen.add(current.$ref);
    const [, section, name] = current.$ref.split('/').slice(1);
    current = spec.components?.[section]?.[name];
    if (!current) throw new Error(`unresolved $ref ${[...seen].pop()}`);
  }
  return current;
}

function literal(value) {
  return JSON.stringify(value);
}

function propertyKey(name) {
  return IDENTIFIER.test(name) ? name : literal(name);
}

/** A JSDoc block for a description, or nothing. */
function doc(description, indent = '') {
  if (!description) return '';
  const lines = String(description).trim().split('\n');
  const escaped = lines.map(line => line.replace(/\*\//g, '*\\/'));
  if (escaped.length === 1) return `${indent}/** ${escaped[0]} */\n`;
  return `${indent}/**\n${escaped
    .map(line => `${indent} * ${line}`.trimEnd())
    .join('\n')}\n${indent} */\n`;
}

/**
 * The TypeScript type of a schema. `$ref`s to component schemas become the component's name
 * (the caller imports it); `used` collects those names.
 */
function typeOf(schema, used = new Set()) {
  const nullable = schema && schema.nullable === true;
  const type = baseTypeOf(schema, used);
  return nullable ? `${parenthesize(type)} | null` : type;
}

function parenthesize(type) {
  return /[|&]/.test(type) && !/^[{(]/.test(type) ? `(${type})` : type;
}

function isPlainString(schema) {
  return (
    schema.type === 'string' &&
    Object.keys(schema).every(key => ['type', 'description'].includes(key))
  );
}

function baseTypeOf(schema, used) {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema.$ref) {
    const name = refName(schema.$ref);
    used.add(name);
    return name;
  }
  if (schema.allOf) {
    const parts = schema.allOf.map(part => parenthesize(typeOf(part, used)));
    // An allOf of one (used to attach a description to a $ref) is that schema.
    return parts.length === 1 ? parts[0] : parts.join(' & ');
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    return alternatives
      .map(part =>
        // "These values, or any other string": `string & {}` keeps the values suggested
        // rather than absorbed into `string`.
        isPlainString(part)
          ? '(string & {})'
          : parenthesize(typeOf(part, used)),
      )
      .join(' | ');
  }
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${typeOf(schema.items, used)}>`;
    case 'object':
      return objectTypeOf(schema, used);
    case undefined:
      // `{}` is any JSON value; properties without a type still describe an object.
      return schema.properties || schema.additionalProperties
        ? objectTypeOf(schema, used)
        : 'unknown';
    default:
      throw new Error(`unsupported schema type ${schema.type}`);
  }
}

function objectTypeOf(schema, used) {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const members = properties.map(
    ([name, property]) =>
      `${doc(property.description)}${propertyKey(name)}${
        required.has(name) ? '' : '?'
      }: ${typeOf(property, used)};`,
  );
  const extra = schema.additionalProperties;
  if (extra && extra !== true) {
    members.push(`[key: string]: ${typeOf(extra, used)};`);
  } else if (extra === true || properties.length === 0) {
    // A free-form object: what the spec leaves open, the type leaves open too.
    members.push('[key: string]: any;');
  }
  return `{\n${members.join('\n')}\n}`;
}

/** `export interface`/`export type` text for a named component schema. */
function declaration(name, schema, used = new Set()) {
  const description = doc(schema.description);
  const isPlainObject =
    (schema.type === 'object' || (!schema.type && schema.properties)) &&
    !schema.allOf &&
    !schema.oneOf &&
    !schema.anyOf &&
    !schema.enum &&
    !schema.nullable;
  if (isPlainObject) {
    return `${description}export interface ${name} ${objectTypeOf(
      schema,
      used,
    )}\n`;
  }
  const text = `${description}export type ${name} = ${typeOf(schema, used)};\n`;
  if (schema.type === 'string' && Array.isArray(schema.enum)) {
    // The values too, in the spec's order, for code that checks or lists them.
    return `${text}\n/** The values of \`${name}\`, in the spec's order. */\nexport const ${name}Values: readonly ${name}[] = ${literal(
      schema.enum,
    )};\n`;
  }
  return text;
}

module.exports = { declaration, doc, literal, propertyKey, resolve, typeOf };
