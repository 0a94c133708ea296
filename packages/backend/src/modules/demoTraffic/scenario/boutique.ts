import { grpc } from './calls';
import { paymentHandler } from './payments';
import type { Handler } from './recorder';

/*
 * Online Boutique's services behind the frontend: what each handler does, logs and calls. The
 * cart's Redis slows and times out under the storyline's stress, and its buggy build scans.
 */

function redisCommand(h: Handler, command: string, userId: string) {
  const { rng } = h;
  const { stress, buggyCart } = h.trace.state;
  if (buggyCart && command === 'HGET') {
    // The new build looks for stale carts on every read.
    h.peerCall('redisCart', {
      name: 'SCAN',
      durationMs: rng.lognormal(2 + 40 * stress, 0.5),
      attributes: {
        'db.system': 'redis',
        'db.operation.name': 'SCAN',
        'db.query.text': 'SCAN 0 MATCH cart:* COUNT 1000',
      },
    });
  }
  const timedOut = rng.chance(0.35 * stress);
  const durationMs = timedOut
    ? rng.between(1000, 1040)
    : rng.lognormal(0.4 + 60 * stress * rng.next(), 0.5);
  return h.peerCall('redisCart', {
    name: command,
    durationMs,
    attributes: {
      'db.system': 'redis',
      'db.operation.name': command,
      'db.query.text': `${command} ${userId}`,
    },
    error: timedOut
      ? `Timeout performing ${command} (1000ms), inst: 1, qs: ${rng.int(
          8,
          60,
        )}, rs: ReadAsync`
      : undefined,
  });
}

const CART_STORAGE_ERROR = "Can't access cart storage.";

export function cartHandler(
  method: 'GetCart' | 'AddItem' | 'EmptyCart',
  userId: string,
) {
  return (h: Handler) => {
    h.work(0.3);
    h.log('INFO', `${method}Async called with userId=${userId}`);
    const commands = {
      GetCart: ['HGET'],
      AddItem: ['HGET', 'HSET', 'EXPIRE'],
      EmptyCart: ['HSET'],
    }[method];
    for (const command of commands) {
      const error = redisCommand(h, command, userId);
      if (error) {
        const message = `${CART_STORAGE_ERROR} StackExchange.Redis.RedisTimeoutException: ${error}`;
        h.log('ERROR', message, {
          'exception.type': 'StackExchange.Redis.RedisTimeoutException',
        });
        h.fail(CART_STORAGE_ERROR);
        return;
      }
    }
    h.work(0.2);
  };
}

export function productCatalogHandler(
  method: 'ListProducts' | 'GetProduct' | 'SearchProducts',
) {
  return (h: Handler) => {
    h.work(method === 'ListProducts' ? 0.9 : 0.3);
    if (h.rng.chance(0.1))
      h.log('INFO', `${method} served from the in-memory catalog`);
  };
}

export function currencyHandler(
  method: 'GetSupportedCurrencies' | 'Convert',
  to: string,
) {
  return (h: Handler) => {
    h.work(method === 'Convert' ? 0.6 : 0.3);
    if (method === 'Convert' && h.rng.chance(0.2))
      h.log('INFO', `conversion request successful to=${to}`);
    else if (method === 'GetSupportedCurrencies' && h.rng.chance(0.2))
      h.log('INFO', 'Getting supported currencies...');
  };
}

export function adHandler(words: string) {
  return (h: Handler) => {
    h.work(1.8);
    h.log('INFO', `received ad request (context_words=[${words}])`);
  };
}

export function recommendationHandler(productIds: string[]) {
  return (h: Handler) => {
    h.work(2.5);
    h.call(
      'productcatalog',
      grpc('ProductCatalogService', 'ListProducts'),
      productCatalogHandler('ListProducts'),
    );
    h.work(1.5);
    h.log(
      'INFO',
      `[Recv ListRecommendations] product_ids=[${productIds
        .map(p => `'${p}'`)
        .join(', ')}]`,
    );
  };
}

export function shippingHandler(method: 'GetQuote' | 'ShipOrder') {
  return (h: Handler) => {
    h.work(0.4);
    h.log(
      'INFO',
      method === 'GetQuote'
        ? '[GetQuote] received request'
        : '[ShipOrder] completed request',
    );
  };
}

function emailHandler(email: string) {
  return (h: Handler) => {
    h.work(8);
    h.log(
      'INFO',
      `A request to send order confirmation email to ${email} has been received.`,
    );
  };
}

export function checkoutHandler(
  userId: string,
  currency: string,
  items: string[],
) {
  return (h: Handler) => {
    h.work(0.8);
    h.log(
      'INFO',
      `[PlaceOrder] user_id="${userId}" user_currency="${currency}"`,
    );
    const cartError = h.call(
      'cart',
      grpc('CartService', 'GetCart'),
      cartHandler('GetCart', userId),
    );
    if (cartError) {
      const message = `failed to prepare order: cart failure: failed to get user cart during checkout: ${cartError}`;
      h.log('ERROR', message);
      h.fail(message);
      return;
    }
    for (let i = 0; i < items.length; i++) {
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'GetProduct'),
        productCatalogHandler('GetProduct'),
      );
      h.call(
        'currency',
        grpc('CurrencyService', 'Convert'),
        currencyHandler('Convert', currency),
      );
    }
    h.call(
      'shipping',
      grpc('ShippingService', 'GetQuote'),
      shippingHandler('GetQuote'),
    );
    h.call(
      'currency',
      grpc('CurrencyService', 'Convert'),
      currencyHandler('Convert', currency),
    );
    const amount = `${currency}${h.rng.between(20, 900).toFixed(2)}`;
    h.call('payment', grpc('PaymentService', 'Charge'), paymentHandler(amount));
    h.log(
      'INFO',
      `payment went through (transaction_id: ${h.rng.hex(8)}-${h.rng.hex(
        4,
      )}-${h.rng.hex(4)})`,
    );
    h.call(
      'shipping',
      grpc('ShippingService', 'ShipOrder'),
      shippingHandler('ShipOrder'),
    );
    h.call(
      'cart',
      grpc('CartService', 'EmptyCart'),
      cartHandler('EmptyCart', userId),
    );
    const email = `${h.rng.pick([
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
    ])}${h.rng.int(1, 999)}@example.com`;
    h.call(
      'email',
      grpc('EmailService', 'SendOrderConfirmation'),
      emailHandler(email),
    );
    h.log('INFO', `order confirmation email sent to "${email}"`);
  };
}
