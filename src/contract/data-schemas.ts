import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { RFC3339_PATTERN } from '../common/rfc3339.js';
import { DATA_CLASSES, DATA_FIELDS } from '../events/dto/event-data.dto.js';
import { EVENT_TYPES, type EventType } from '../contracts/event-types.js';

export type JsonSchema = Record<string, unknown>;

/**
 * What the classes say that decorators alone do not carry into JSON Schema: conversions take
 * `amount_cents` and `currency` together or not at all (a ValidateIf in ConversionEventData). The
 * agreement test (contract.spec.ts) fails if this and the class ever disagree.
 */
const EXTRA: Partial<Record<EventType, JsonSchema>> = {
  conversion: { dependencies: { amount_cents: ['currency'], currency: ['amount_cents'] } },
};

const DESCRIPTIONS: Record<EventType, string> = {
  click: 'A click on a Rift link: the value of a message on <prefix>.events.click, and the `data` of a click webhook.',
  attribution: 'An app install attributed to a link: the value of a message on <prefix>.events.attribution, and the `data` of an attribution webhook.',
  conversion: 'A conversion (signup, deposit, purchase, ...): the value of a message on <prefix>.events.conversion, and the `data` of a conversion webhook.',
};

/**
 * JSON Schemas (draft-07) of the three `data` objects, generated from the class-validator metadata of
 * the classes the publisher and the dispatcher validate with (class-validator-jsonschema), then
 * tightened where the library is loose: unknown fields refused (the validators run with
 * forbidNonWhitelisted), `null` allowed exactly where @IsOptional allows it, keys in the docs' order.
 */
export function dataSchemas(): Record<EventType, JsonSchema> {
  const generated = validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    additionalConverters: {
      customValidation: (meta) => (meta.name === 'isRfc3339' ? { type: 'string', format: 'date-time', pattern: RFC3339_PATTERN.source } : undefined),
    },
  }) as Record<string, JsonSchema>;
  const out = {} as Record<EventType, JsonSchema>;
  for (const type of EVENT_TYPES) {
    const cls = DATA_CLASSES[type];
    const raw = generated[cls.name] as { properties: Record<string, JsonSchema>; required?: string[] };
    const optional = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(cls, '', true, false)
        .filter((m) => m.name === 'isOptional')
        .map((m) => m.propertyName),
    );
    const order = ['event_id', ...DATA_FIELDS[type].filter((f) => f !== 'event_id')];
    const properties: Record<string, JsonSchema> = {};
    for (const field of order) {
      const { not: _notNull, ...schema } = raw.properties[field] ?? {};
      if (optional.has(field) && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
      // Description and example from the same class's OpenAPI decorators (documentation only).
      const doc = Reflect.getMetadata('swagger/apiModelProperties', cls.prototype, field) as { description?: string; example?: unknown } | undefined;
      properties[field] = {
        ...schema,
        ...(doc?.description ? { description: doc.description } : {}),
        ...(doc?.example !== undefined ? { examples: [doc.example] } : {}),
      };
    }
    const unordered = Object.keys(raw.properties).filter((f) => !order.includes(f));
    if (unordered.length > 0) throw new Error(`${cls.name} has fields missing from DATA_FIELDS: ${unordered.join(', ')}`);
    out[type] = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `https://riftl.ink/schemas/${type}.json`,
      title: cls.name,
      description: DESCRIPTIONS[type],
      type: 'object',
      properties,
      required: order.filter((f) => raw.required?.includes(f)),
      additionalProperties: false,
      ...EXTRA[type],
    };
  }
  return out;
}
