import { normalize } from './normalize.js';

/**
 * Menu categories and common dishes a guest asks about, each with its spellings across the
 * supported languages; the canonical English key is what the reservation service's menu uses.
 */
const CATEGORIES: Record<string, string[]> = {
  starters: [
    'starters',
    'starter',
    'appetizers',
    'appetizer',
    'apps',
    'entrées',
    'entradas',
    'mezze',
    'meze',
    'مقبلات',
    'المقبلات',
    'مازة',
  ],
  mains: [
    'mains',
    'main course',
    'main courses',
    'main dishes',
    'platos principales',
    'plats principaux',
    'الأطباق الرئيسية',
    'اطباق رئيسية',
  ],
  desserts: [
    'desserts',
    'dessert',
    'sweets',
    'postres',
    'postre',
    'حلويات',
    'الحلويات',
    'حلى',
    'الحلو',
    'حلا',
    // "شو في حلو عندكم؟" (anything sweet): not "حلو" alone, which praises.
    'في حلو',
    'فيه حلو',
  ],
  drinks: [
    'drinks',
    'drink',
    'beverages',
    'juices',
    'juice',
    'bebidas',
    'boissons',
    "de l'alcool",
    'مشروبات',
    'المشروبات',
    'عصائر',
    'عصير',
    'عصيرات',
  ],
  wine: ['wine', 'wines', 'wine list', 'vino', 'vinos', 'vin', 'vins', 'نبيذ'],
  cocktails: ['cocktails', 'cocktail', 'cócteles', 'mocktails'],
  vegetarian: [
    'vegetarian',
    'vegetarians',
    'veggie',
    'vegetariano',
    'vegetarianos',
    'vegetariana',
    'vegetarianas',
    'végétariens',
    'végétarienne',
    'végétariennes',
    'végétarien',
    'vegetarien',
    'نباتي',
    'نباتية',
    'نباتيين',
  ],
  vegan: [
    'vegan',
    'vegans',
    'vegano',
    'vegana',
    'veganos',
    'veganas',
    'végane',
    'végan',
    'véganes',
    'vegane',
    'نباتي صرف',
  ],
  'gluten-free': [
    'gluten-free',
    'gluten free',
    'gluten',
    'sin gluten',
    'sans gluten',
    'celiac',
    'خالي من الجلوتين',
    'جلوتين',
    'غلوتين',
  ],
  kids: [
    'kids menu',
    "kids' menu",
    'children menu',
    "children's menu",
    'menú infantil',
    'menu enfant',
    'menu pour les enfants',
    'menú para niños',
    'منيو الأطفال',
    'قائمة الأطفال',
    'منيو للأطفال',
    'قائمة للأطفال',
    'منيو اطفال',
    'وجبات أطفال',
    'وجبات الأطفال',
    'وجبات للأطفال',
  ],
  breakfast: ['breakfast', 'desayuno', 'petit déjeuner', 'فطور', 'الفطور', 'ريوق'],
  grills: ['grills', 'grill', 'grilled', 'bbq', 'barbecue', 'مشويات', 'المشويات', 'مشاوي'],
  seafood: [
    'seafood',
    'fish',
    'mariscos',
    'pescado',
    'fruits de mer',
    'poisson',
    'huîtres',
    'huitres',
    'مأكولات بحرية',
    'المأكولات البحرية',
    'اكل بحري',
    'الاكل البحري',
    'اكلات بحرية',
    'سي فود',
    'سمك',
    'السمك',
    // Maghrebi "الحوت" (fish).
    'حوت',
  ],
};

const ITEMS: Record<string, string[]> = {
  pizza: ['pizza', 'pizzas', 'بيتزا'],
  pasta: ['pasta', 'spaghetti', 'pâtes', 'باستا', 'مكرونة'],
  burger: ['burger', 'burgers', 'hamburguesa', 'برجر', 'برغر'],
  steak: ['steak', 'steaks', 'ribeye', 'filete', 'ستيك'],
  salad: ['salad', 'salads', 'ensalada', 'ensaladas', 'salade', 'salades', 'سلطة', 'سلطات'],
  soup: ['soup', 'sopa', 'soupe', 'شوربة', 'شوربه'],
  sushi: ['sushi', 'سوشي'],
  hummus: ['hummus', 'houmous', 'humus', 'حمص'],
  falafel: ['falafel', 'فلافل', 'طعمية'],
  shawarma: ['shawarma', 'shawerma', 'شاورما', 'شاورمة'],
  kebab: ['kebab', 'kabab', 'kebabs', 'كباب'],
  mandi: ['mandi', 'مندي'],
  kabsa: ['kabsa', 'كبسة'],
  chicken: ['chicken', 'pollo', 'poulet', 'دجاج', 'فراخ'],
  lamb: ['lamb', 'cordero', 'agneau', 'لحم خروف', 'خروف', 'لحم ضأن'],
  coffee: ['coffee', 'espresso', 'café', 'قهوة'],
  tea: ['tea', 'té', 'thé', 'شاي'],
  cake: ['cake', 'cheesecake', 'tarta', 'gâteau', 'كيك', 'كيكة'],
  kunafa: ['kunafa', 'knafeh', 'kunafeh', 'كنافة'],
  paella: ['paella'],
  tapas: ['tapas'],
};

interface Table {
  /** Every spelling of the table at once: most messages name no menu term, and one test says so. */
  any: RegExp;
  entries: ReadonlyArray<readonly [RegExp, string]>;
}

// Arabic words take the article and prefixes ("والحلويات"), so only the right edge is a boundary there.
const bounded = (body: string) =>
  new RegExp(`(?:(?<![\\p{L}\\p{N}])|(?<=[\\u0600-\\u06ff]))(?:${body})(?![\\p{L}\\p{N}])`, 'u');

const compile = (table: Record<string, string[]>): Table => {
  const bodies = Object.entries(table).map(([key, words]) => {
    const body = words
      .map((word) => normalize(word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .sort((a, b) => b.length - a.length)
      .join('|');
    return [body, key] as const;
  });
  return {
    any: bounded(bodies.map(([body]) => body).join('|')),
    entries: bodies.map(([body, key]) => [bounded(body), key] as const),
  };
};

/** The first entry, in table order, that the text names. */
const firstNamed = (table: Table, normalized: string) =>
  table.any.test(normalized) ? table.entries.find(([pattern]) => pattern.test(normalized))?.[1] : undefined;

const CATEGORY_TABLE = compile(CATEGORIES);
const ITEM_TABLE = compile(ITEMS);

export interface FoundMenuTerms {
  menuCategory?: string;
  menuItem?: string;
}

export function findMenuTerms(normalized: string): FoundMenuTerms {
  const category = firstNamed(CATEGORY_TABLE, normalized);
  const item = firstNamed(ITEM_TABLE, normalized);
  return { ...(category ? { menuCategory: category } : {}), ...(item ? { menuItem: item } : {}) };
}
