/**
 * Word lists for a fictional specialty coffee & tea shop. Everything is invented; emails use the
 * reserved example.* domains so a generated shop can never mail a real person.
 */

export const FIRST_NAMES = [
  "Ava", "Liam", "Olivia", "Noah", "Emma", "Elijah", "Sophia", "James", "Mia", "Lucas", "Amelia",
  "Mateo", "Harper", "Levi", "Evelyn", "Asher", "Abigail", "Leo", "Ella", "Ezra", "Chloe", "Owen",
  "Grace", "Theo", "Nora", "Hudson", "Zoe", "Kai", "Lily", "Jack", "Hannah", "Ethan", "Aria",
  "Julian", "Layla", "Miles", "Riley", "Caleb", "Stella", "Isaac", "Maya", "Aaron", "Ruby",
  "Felix", "Iris", "Samuel", "Clara", "Daniel", "Naomi", "Adrian", "Lucia", "Omar", "Priya",
  "Wei", "Yuki", "Sofia", "Diego", "Fatima", "Kofi", "Ingrid", "Mateus", "Amara", "Ravi",
];

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
  "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
  "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
  "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
  "Carter", "Roberts", "Kim", "Patel", "Chen", "Okafor", "Novak", "Lindqvist", "Rossi", "Silva",
];

export const EMAIL_DOMAINS = ["example.com", "example.org", "example.net"];

export const COFFEE_ORIGINS = [
  "Ethiopia Yirgacheffe", "Ethiopia Guji", "Colombia Huila", "Colombia Nariño", "Kenya Nyeri",
  "Guatemala Antigua", "Sumatra Mandheling", "Brazil Cerrado", "Costa Rica Tarrazú", "Rwanda Nyamasheke",
  "Peru Cajamarca", "Honduras Santa Barbara", "Burundi Kayanza", "Panama Boquete", "Mexico Chiapas",
  "El Salvador Apaneca", "Papua New Guinea Sigri", "Yemen Haraz", "Uganda Bugisu", "Tanzania Kilimanjaro",
];
export const COFFEE_STYLES = [
  "Light Roast", "Medium Roast", "Dark Roast", "Espresso", "Filter Roast", "Decaf", "Natural",
  "Washed", "Honey Process", "Anaerobic",
];
export const COFFEE_BLENDS = [
  "House Blend", "Morning Ritual", "Night Owl", "Sunday Slow", "Crema Classic", "Harbor Blend",
  "Trailhead", "Velvet Espresso", "Golden Hour", "Fireside",
];

export const TEA_NAMES = [
  "Earl Grey", "Sencha", "Jasmine Pearl", "Darjeeling First Flush", "Rooibos", "Chamomile",
  "Tieguanyin Oolong", "Ceremonial Matcha", "Masala Chai", "Assam Breakfast", "Peppermint",
  "Genmaicha", "Lapsang Souchong", "Silver Needle", "Hojicha", "Lemon Verbena", "Gyokuro",
  "Pu-erh", "Hibiscus Berry", "Ginger Turmeric",
];
export const TEA_STYLES = ["Loose Leaf", "Pyramid Bags", "Organic", "Reserve", "Estate", "Blend"];

export const BREWERS = [
  "Pour-Over Dripper", "French Press", "Press Brewer", "Moka Pot", "Cold Brew Maker", "Siphon Brewer",
  "Chemex-style Carafe", "Clever Dripper", "Flat-Bottom Dripper", "Espresso Hand Press",
];
export const GEAR = [
  "Gooseneck Kettle", "Burr Grinder", "Digital Scale", "Espresso Tamper", "Milk Frother",
  "Knock Box", "Dosing Cup", "Bean Cellar",
];
export const MATERIALS = ["Ceramic", "Glass", "Stainless", "Copper", "Matte Black", "Bamboo", "Porcelain", "Walnut"];

export const SUPPLIES = [
  "Paper Filters", "Cone Filters", "Flat Filters", "Cold Brew Filter Bags", "Descaling Tablets",
  "Cleaning Powder", "Gasket Set", "Grinder Brushes", "Water Mineral Sachets",
];

export const DRINKWARE = ["Mug", "Tumbler", "Cup & Saucer", "Travel Mug", "Double-Wall Glass", "Espresso Cup Set", "Latte Bowl"];
export const COLOURS = ["Sage", "Terracotta", "Ink Blue", "Oat", "Charcoal", "Speckled White", "Mustard", "Blush", "Forest"];

export const TEAWARE = ["Teapot", "Tea Infuser", "Kyusu", "Tea Strainer", "Matcha Whisk", "Gaiwan", "Tea Tin", "Chawan"];

export const SNACKS = ["Biscotti", "Shortbread", "Dark Chocolate Bar", "Almond Cookies", "Stroopwafels", "Granola", "Madeleines", "Florentines"];
export const FLAVOURS = ["Almond", "Sea Salt", "Orange Peel", "Cardamom", "Hazelnut", "Cocoa Nib", "Lemon", "Cinnamon", "Pistachio"];

export const SYRUPS = ["Vanilla", "Caramel", "Hazelnut", "Lavender", "Maple", "Gingerbread", "Pumpkin Spice", "Toffee"];

export const GIFT_SETS = ["Brew Kit", "Tea Lover's Box", "Tasting Flight", "Morning Bundle", "Espresso Starter", "Cosy Night Box"];
export const GIFT_ADJECTIVES = ["Deluxe", "Classic", "Discovery", "Holiday", "Mini", "Signature"];
