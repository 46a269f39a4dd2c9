// bench/data/exec/generate.mjs — writes data.json, the root value of the
// execution and HTTP benchmarks (schema.graphql): a greeting under "hello"
// ("world!" makes the {hello} response 27 bytes, the size of the constant
// body nginx answers in bench/http/nginx.conf), 100 items under "items" and
// a catalogue of 4 departments × 5 categories × 8 items under "catalog".
// The values come from a fixed pseudo-random sequence, so the file is the
// same on every run; it is committed, and only needs regenerating when the
// schema changes: node bench/data/exec/generate.mjs > bench/data/exec/data.json
let seed = 20251121;
// A 31-bit linear congruential sequence: enough variety, same everywhere.
const next = () => (seed = ((Math.imul(seed, 1103515245) + 12345) >>> 0) % 2147483648);
const pick = (list) => list[next() % list.length];
const int = (lo, hi) => lo + (next() % (hi - lo + 1));
const money = () => int(100, 99999) / 100;

const ADJECTIVES = ['Walnut', 'Brass', 'Linen', 'Ceramic', 'Oak', 'Steel', 'Wool', 'Glass', 'Copper', 'Cotton'];
const NOUNS = ['desk lamp', 'chair', 'mug', 'rug', 'kettle', 'shelf', 'blanket', 'vase', 'clock', 'mirror'];
const CITIES = [
  ['Lisbon', 'Portugal', 38.7223, -9.1393],
  ['Kraków', 'Poland', 50.0647, 19.945],
  ['Osaka', 'Japan', 34.6937, 135.5023],
  ['Montréal', 'Canada', 45.5017, -73.5673],
  ['Nairobi', 'Kenya', -1.2921, 36.8219],
  ['Valparaíso', 'Chile', -33.0472, -71.6127],
];
const PEOPLE = ['Ada Byrne', 'Bruno Costa', 'Chloé Martin', 'Dmitri Volkov', 'Emeka Obi', 'Fatima Haddad', 'Grace Lin'];
const STATUSES = ['DRAFT', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'SOLD_OUT', 'ARCHIVED'];
const TITLES = ['Does what it says', 'Lovely finish', 'Arrived "slightly" late', 'Worth every cent', 'Smaller than expected'];

let itemNo = 0;
let reviewNo = 0;
function item() {
  const n = ++itemNo;
  const name = `${pick(ADJECTIVES)} ${pick(NOUNS)}`;
  const person = pick(PEOPLE);
  const city = pick(CITIES);
  const reviews = [];
  for (let k = 0; k < 3; k++) {
    const r = ++reviewNo;
    reviews.push({
      id: `review-${r}`,
      stars: int(1, 5),
      title: r % 4 === 0 ? null : pick(TITLES),
      helpful: next() % 2 === 0,
    });
  }
  return {
    id: `item-${n}`,
    sku: `SKU-${String(100000 + int(0, 899999))}`,
    name,
    description: n % 7 === 0 ? null : `Hand-made ${name.toLowerCase()} from ${city[0]}; ships in ${int(1, 9)} days.`,
    price: money(),
    rating: n % 5 === 0 ? null : int(10, 50) / 10,
    stock: int(0, 500),
    views: n % 3 === 0 ? null : int(0, 2000000),
    available: n % 6 !== 0,
    status: pick(STATUSES),
    seller: {
      id: `seller-${int(1, 40)}`,
      name: person,
      email: n % 4 === 0 ? null : `${person.split(' ')[0].toLowerCase()}@example.com`,
      verified: next() % 3 !== 0,
      score: n % 8 === 0 ? null : int(0, 1000) / 10,
    },
    location: n % 10 === 0 ? null : { city: city[0], country: city[1], latitude: city[2], longitude: city[3] },
    reviews,
  };
}

const items = [];
for (let i = 0; i < 100; i++) items.push(item());

const DEPARTMENTS = ['Home', 'Kitchen', 'Garden', 'Office'];
const CATEGORIES = ['Lighting', 'Seating', 'Storage', 'Textiles', 'Decor'];
const catalog = {
  id: 'catalog-1',
  name: 'Autumn catalogue',
  updated: '2025-11-21T09:00:00Z',
  departments: DEPARTMENTS.map((d, i) => ({
    id: `department-${i + 1}`,
    name: d,
    categories: CATEGORIES.map((c, j) => ({
      id: `category-${i * CATEGORIES.length + j + 1}`,
      name: `${d} ${c.toLowerCase()}`,
      items: Array.from({ length: 8 }, item),
    })),
  })),
};

process.stdout.write(JSON.stringify({ hello: 'world!', items, catalog }, null, 1) + '\n');
