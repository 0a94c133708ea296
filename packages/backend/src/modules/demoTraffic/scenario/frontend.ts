import { SPAN_KIND } from '../otlp';
import type { Prng } from '../prng';
import { grpc } from './calls';
import {
  adHandler,
  cartHandler,
  checkoutHandler,
  currencyHandler,
  productCatalogHandler,
  recommendationHandler,
  shippingHandler,
} from './boutique';
import { Handler, type TraceRecorder, span } from './recorder';

/*
 * Shoppers' requests to Online Boutique's frontend, the roots of most traces: a page picked by
 * weight, and the calls that page makes.
 */

const PRODUCTS = [
  'OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N',
  '0PUK6V6EV0', 'LS4PSXUNUM', '9SIQT8TOJO', '6E92ZMYYFZ',
] as const; // prettier-ignore
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD'] as const;

type Page = 'home' | 'product' | 'viewCart' | 'addToCart' | 'checkout';
const PAGES: Array<{
  page: Page;
  weight: number;
  method: string;
  route: string;
}> = [
  { page: 'home', weight: 35, method: 'GET', route: '/' },
  { page: 'product', weight: 33, method: 'GET', route: '/product/{id}' },
  { page: 'viewCart', weight: 12, method: 'GET', route: '/cart' },
  { page: 'addToCart', weight: 12, method: 'POST', route: '/cart' },
  { page: 'checkout', weight: 8, method: 'POST', route: '/cart/checkout' },
];

function pickPage(rng: Prng) {
  let roll = rng.next() * 100;
  for (const page of PAGES) {
    roll -= page.weight;
    if (roll < 0) return page;
  }
  return PAGES[0];
}

/** One shopper's request to the frontend, the root of the trace. */
export function frontendRequest(trace: TraceRecorder) {
  const { rng } = trace;
  const { page, method, route } = pickPage(rng);
  const product = rng.pick(PRODUCTS);
  const path = route.replace('{id}', product);
  const userId = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(
    3,
  )}-${rng.hex(12)}`;
  const currency = rng.pick(CURRENCIES);
  const h = new Handler(trace, 'frontend', trace.spanId(), 0);

  const getCart = () =>
    h.call(
      'cart',
      grpc('CartService', 'GetCart'),
      cartHandler('GetCart', userId),
    );
  const convert = () =>
    h.call(
      'currency',
      grpc('CurrencyService', 'Convert'),
      currencyHandler('Convert', currency),
    );
  const currencies = () =>
    h.call(
      'currency',
      grpc('CurrencyService', 'GetSupportedCurrencies'),
      currencyHandler('GetSupportedCurrencies', currency),
    );
  const recommendations = () =>
    h.call(
      'recommendation',
      grpc('RecommendationService', 'ListRecommendations'),
      recommendationHandler([product]),
    );
  const ads = () =>
    h.call(
      'ad',
      grpc('AdService', 'GetAds'),
      adHandler(rng.pick(['clothing', 'accessories', 'kitchen', 'footwear'])),
    );
  const failed = (what: string, error: string | undefined) => {
    if (!error) return false;
    const message = `${what}: ${error}`;
    h.log('ERROR', `request error: ${message}`, {
      'http.req.method': method,
      'http.req.path': path,
    });
    h.fail(message);
    return true;
  };

  h.work(0.5);
  switch (page) {
    case 'home': {
      currencies();
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'ListProducts'),
        productCatalogHandler('ListProducts'),
      );
      if (failed('could not retrieve cart', getCart())) break;
      for (let i = 0; i < 3; i++) convert();
      ads();
      break;
    }
    case 'product': {
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'GetProduct'),
        productCatalogHandler('GetProduct'),
      );
      currencies();
      if (failed('could not retrieve cart', getCart())) break;
      convert();
      recommendations();
      ads();
      break;
    }
    case 'viewCart': {
      currencies();
      if (failed('could not retrieve cart', getCart())) break;
      recommendations();
      h.call(
        'shipping',
        grpc('ShippingService', 'GetQuote'),
        shippingHandler('GetQuote'),
      );
      convert();
      for (let i = rng.int(1, 3); i > 0; i--) {
        h.call(
          'productcatalog',
          grpc('ProductCatalogService', 'GetProduct'),
          productCatalogHandler('GetProduct'),
        );
        convert();
      }
      break;
    }
    case 'addToCart': {
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'GetProduct'),
        productCatalogHandler('GetProduct'),
      );
      failed(
        'failed to add to cart',
        h.call(
          'cart',
          grpc('CartService', 'AddItem'),
          cartHandler('AddItem', userId),
        ),
      );
      break;
    }
    case 'checkout': {
      const items = Array.from({ length: rng.int(1, 3) }, () =>
        rng.pick(PRODUCTS),
      );
      const error = h.call(
        'checkout',
        grpc('CheckoutService', 'PlaceOrder'),
        checkoutHandler(userId, currency, items),
      );
      if (failed('failed to complete the order', error)) break;
      recommendations();
      currencies();
      break;
    }
    default:
      break;
  }
  h.work(1.5);
  let status = page === 'addToCart' ? 302 : 200; // adding redirects to the cart
  if (h.error) status = 500;
  h.log('INFO', 'request complete', {
    'http.req.method': method,
    'http.req.path': path,
    'http.resp.status': status,
    'http.resp.took_ms': Math.round(h.cursor / 1000),
  });
  trace.spans.push({
    service: 'frontend',
    span: span({
      traceId: trace.traceId,
      spanId: h.spanId,
      name: `${method} ${route}`,
      kind: SPAN_KIND.SERVER,
      startUs: 0,
      endUs: h.cursor,
      attributes: {
        'http.request.method': method,
        'http.route': route,
        'url.path': path,
        'http.response.status_code': status,
        'user_agent.original': 'python-requests/2.31.0 (locust)',
      },
      error: h.error,
    }),
  });
}
