// Demo catalog: real public-domain works. Prices are integer cents; stock is units on hand.
// Descriptions are our own one- or two-sentence summaries.

export const demoGenres = [
  "Fiction",
  "Classics",
  "Science Fiction",
  "Fantasy",
  "Mystery",
  "Adventure",
  "Horror",
  "Romance",
  "Children",
  "Poetry",
  "Drama",
  "Philosophy",
  "History",
  "Science",
  "Essays",
] as const;

export type DemoGenre = (typeof demoGenres)[number];

export interface DemoBook {
  title: string;
  author: string;
  publishedYear: number;
  genre: DemoGenre;
  /** One or two sentences of our own. */
  description: string;
  priceCents: number;
  stock: number;
}

export const demoBooks: readonly DemoBook[] = [
  {
    title: "Pride and Prejudice",
    author: "Jane Austen",
    publishedYear: 1813,
    genre: "Romance",
    description:
      "Elizabeth Bennet spars with the proud Mr Darcy in a sharp comedy of manners about marriage, money and first impressions.",
    priceCents: 1099,
    stock: 24,
  },
  {
    title: "Sense and Sensibility",
    author: "Jane Austen",
    publishedYear: 1811,
    genre: "Romance",
    description:
      "The Dashwood sisters, one guided by prudence and the other by passion, navigate heartbreak and reduced fortunes in Regency England.",
    priceCents: 999,
    stock: 18,
  },
  {
    title: "Emma",
    author: "Jane Austen",
    publishedYear: 1815,
    genre: "Romance",
    description:
      "A clever, well-meaning young woman meddles in her neighbours' love lives and slowly discovers how little she understands her own heart.",
    priceCents: 1049,
    stock: 15,
  },
  {
    title: "Persuasion",
    author: "Jane Austen",
    publishedYear: 1817,
    genre: "Romance",
    description:
      "Eight years after being talked out of an engagement, Anne Elliot meets her former suitor again, now a successful naval captain.",
    priceCents: 899,
    stock: 12,
  },
  {
    title: "Northanger Abbey",
    author: "Jane Austen",
    publishedYear: 1817,
    genre: "Classics",
    description:
      "A young reader steeped in gothic novels visits a real abbey and learns to tell melodrama from the quieter dangers of ordinary people.",
    priceCents: 849,
    stock: 9,
  },
  {
    title: "Mansfield Park",
    author: "Jane Austen",
    publishedYear: 1814,
    genre: "Classics",
    description:
      "Fanny Price, raised as a poor relation in her wealthy uncle's house, holds to her principles as charming visitors unsettle the family.",
    priceCents: 949,
    stock: 7,
  },
  {
    title: "Great Expectations",
    author: "Charles Dickens",
    publishedYear: 1861,
    genre: "Classics",
    description:
      "The orphan Pip receives a mysterious fortune and sets out to become a gentleman, only to learn hard truths about loyalty and ambition.",
    priceCents: 1199,
    stock: 31,
  },
  {
    title: "A Tale of Two Cities",
    author: "Charles Dickens",
    publishedYear: 1859,
    genre: "History",
    description:
      "Lives in London and Paris become entangled during the French Revolution in a story of sacrifice, resurrection and mob fury.",
    priceCents: 1149,
    stock: 27,
  },
  {
    title: "Oliver Twist",
    author: "Charles Dickens",
    publishedYear: 1838,
    genre: "Classics",
    description:
      "A workhouse orphan escapes to London and falls in with Fagin's gang of young pickpockets in this fierce portrait of Victorian poverty.",
    priceCents: 999,
    stock: 22,
  },
  {
    title: "David Copperfield",
    author: "Charles Dickens",
    publishedYear: 1850,
    genre: "Fiction",
    description:
      "Dickens's most autobiographical novel follows a boy through cruelty, friendship and hard work as he grows into a successful writer.",
    priceCents: 1399,
    stock: 16,
  },
  {
    title: "Bleak House",
    author: "Charles Dickens",
    publishedYear: 1853,
    genre: "Fiction",
    description:
      "An endless Chancery lawsuit casts its shadow over dozens of lives, linking a secret, a murder and a young woman's search for her origins.",
    priceCents: 1499,
    stock: 10,
  },
  {
    title: "A Christmas Carol",
    author: "Charles Dickens",
    publishedYear: 1843,
    genre: "Fantasy",
    description:
      "The miser Ebenezer Scrooge is visited by three spirits on Christmas Eve and given one last chance to change his ways.",
    priceCents: 599,
    stock: 45,
  },
  {
    title: "Hard Times",
    author: "Charles Dickens",
    publishedYear: 1854,
    genre: "Fiction",
    description:
      "In the smoky mill town of Coketown, a schoolmaster's devotion to cold facts crushes the imagination and happiness of his own children.",
    priceCents: 849,
    stock: 0,
  },
  {
    title: "War and Peace",
    author: "Leo Tolstoy",
    publishedYear: 1869,
    genre: "History",
    description:
      "Aristocratic families live, love and suffer through Napoleon's invasion of Russia in Tolstoy's sweeping meditation on history and fate.",
    priceCents: 2299,
    stock: 14,
  },
  {
    title: "Anna Karenina",
    author: "Leo Tolstoy",
    publishedYear: 1878,
    genre: "Romance",
    description:
      "A married noblewoman's passionate affair with a cavalry officer unfolds alongside a landowner's search for meaning in rural Russia.",
    priceCents: 1899,
    stock: 19,
  },
  {
    title: "The Death of Ivan Ilyich",
    author: "Leo Tolstoy",
    publishedYear: 1886,
    genre: "Philosophy",
    description:
      "A successful judge confronts a fatal illness and discovers, in his final weeks, how hollow his respectable life has been.",
    priceCents: 649,
    stock: 11,
  },
  {
    title: "Crime and Punishment",
    author: "Fyodor Dostoevsky",
    publishedYear: 1866,
    genre: "Classics",
    description:
      "A destitute former student murders a pawnbroker to prove a theory about extraordinary men, then is consumed by guilt and a patient detective.",
    priceCents: 1349,
    stock: 26,
  },
  {
    title: "The Brothers Karamazov",
    author: "Fyodor Dostoevsky",
    publishedYear: 1880,
    genre: "Philosophy",
    description:
      "The murder of a debauched father tests the faith, reason and passions of his three very different sons.",
    priceCents: 1799,
    stock: 13,
  },
  {
    title: "Notes from Underground",
    author: "Fyodor Dostoevsky",
    publishedYear: 1864,
    genre: "Philosophy",
    description:
      "A bitter, isolated former civil servant rails against rational self-interest and recounts his humiliating encounters with others.",
    priceCents: 749,
    stock: 17,
  },
  {
    title: "The Idiot",
    author: "Fyodor Dostoevsky",
    publishedYear: 1869,
    genre: "Classics",
    description:
      "The guileless Prince Myshkin returns to St Petersburg and finds his goodness both admired and destroyed by a society of schemers.",
    priceCents: 1499,
    stock: 8,
  },
  {
    title: "Adventures of Huckleberry Finn",
    author: "Mark Twain",
    publishedYear: 1884,
    genre: "Adventure",
    description:
      "Huck fakes his own death and rafts down the Mississippi with Jim, a man escaping slavery, in a funny and searching American classic.",
    priceCents: 1049,
    stock: 33,
  },
  {
    title: "The Adventures of Tom Sawyer",
    author: "Mark Twain",
    publishedYear: 1876,
    genre: "Children",
    description:
      "A mischievous boy in a Missouri river town whitewashes fences, hunts treasure and witnesses a murder in a graveyard.",
    priceCents: 899,
    stock: 29,
  },
  {
    title: "A Connecticut Yankee in King Arthur's Court",
    author: "Mark Twain",
    publishedYear: 1889,
    genre: "Science Fiction",
    description:
      "A nineteenth-century factory boss wakes in Camelot and tries to modernise medieval England with gunpowder, newspapers and telephones.",
    priceCents: 1199,
    stock: 12,
  },
  {
    title: "The Prince and the Pauper",
    author: "Mark Twain",
    publishedYear: 1881,
    genre: "Children",
    description:
      "A young Edward Tudor swaps clothes with a London street boy who looks exactly like him, and each learns how the other half lives.",
    priceCents: 849,
    stock: 14,
  },
  {
    title: "Moby-Dick",
    author: "Herman Melville",
    publishedYear: 1851,
    genre: "Adventure",
    description:
      "Ishmael signs aboard the whaler Pequod and is swept into Captain Ahab's obsessive hunt for the white whale that took his leg.",
    priceCents: 1399,
    stock: 21,
  },
  {
    title: "Bartleby, the Scrivener",
    author: "Herman Melville",
    publishedYear: 1853,
    genre: "Fiction",
    description:
      "A Wall Street lawyer hires a copyist who politely but absolutely prefers not to do anything at all, with baffling consequences.",
    priceCents: 499,
    stock: 16,
  },
  {
    title: "The Scarlet Letter",
    author: "Nathaniel Hawthorne",
    publishedYear: 1850,
    genre: "Classics",
    description:
      "In Puritan Boston, Hester Prynne is forced to wear a scarlet A while the father of her child hides his guilt behind a pulpit.",
    priceCents: 949,
    stock: 23,
  },
  {
    title: "The House of the Seven Gables",
    author: "Nathaniel Hawthorne",
    publishedYear: 1851,
    genre: "Fiction",
    description:
      "An ancestral curse hangs over a decaying New England mansion and the faded family still living inside it.",
    priceCents: 1099,
    stock: 6,
  },
  {
    title: "The Tell-Tale Heart",
    author: "Edgar Allan Poe",
    publishedYear: 1843,
    genre: "Horror",
    description:
      "A narrator insists on his sanity while describing how he killed an old man, until a relentless beating sound drives him to confess.",
    priceCents: 399,
    stock: 38,
  },
  {
    title: "The Fall of the House of Usher",
    author: "Edgar Allan Poe",
    publishedYear: 1839,
    genre: "Horror",
    description:
      "A visitor to a crumbling mansion watches his sickly friend and the house itself sink toward a shared and terrible end.",
    priceCents: 449,
    stock: 25,
  },
  {
    title: "The Murders in the Rue Morgue",
    author: "Edgar Allan Poe",
    publishedYear: 1841,
    genre: "Mystery",
    description:
      "C. Auguste Dupin applies pure reasoning to a gruesome double killing in a locked Paris apartment, inventing the detective story on the way.",
    priceCents: 499,
    stock: 19,
  },
  {
    title: "The Raven and Other Poems",
    author: "Edgar Allan Poe",
    publishedYear: 1845,
    genre: "Poetry",
    description:
      "Poe's haunting title poem of grief and a croaking midnight visitor, gathered with other verses of melancholy and lost love.",
    priceCents: 699,
    stock: 20,
  },
  {
    title: "A Study in Scarlet",
    author: "Arthur Conan Doyle",
    publishedYear: 1887,
    genre: "Mystery",
    description:
      "Dr Watson meets the eccentric Sherlock Holmes and joins him in solving a murder whose roots reach back to the American West.",
    priceCents: 799,
    stock: 30,
  },
  {
    title: "The Sign of the Four",
    author: "Arthur Conan Doyle",
    publishedYear: 1890,
    genre: "Mystery",
    description:
      "A young woman's yearly gift of pearls leads Holmes and Watson to stolen Indian treasure, a secret pact and a chase down the Thames.",
    priceCents: 799,
    stock: 22,
  },
  {
    title: "The Adventures of Sherlock Holmes",
    author: "Arthur Conan Doyle",
    publishedYear: 1892,
    genre: "Mystery",
    description:
      "Twelve classic cases, from a scandal in Bohemia to a speckled band, showcase the great detective's powers of observation.",
    priceCents: 1149,
    stock: 41,
  },
  {
    title: "The Hound of the Baskervilles",
    author: "Arthur Conan Doyle",
    publishedYear: 1902,
    genre: "Mystery",
    description:
      "A spectral hound is said to stalk the Baskerville family across Dartmoor, and Holmes must separate legend from a very human plot.",
    priceCents: 949,
    stock: 35,
  },
  {
    title: "The Lost World",
    author: "Arthur Conan Doyle",
    publishedYear: 1912,
    genre: "Adventure",
    description:
      "The irascible Professor Challenger leads an expedition to a remote South American plateau where dinosaurs still roam.",
    priceCents: 999,
    stock: 13,
  },
  {
    title: "The Time Machine",
    author: "H. G. Wells",
    publishedYear: 1895,
    genre: "Science Fiction",
    description:
      "A Victorian inventor travels to the year 802,701 and finds humanity split into the gentle Eloi and the subterranean Morlocks.",
    priceCents: 749,
    stock: 37,
  },
  {
    title: "The War of the Worlds",
    author: "H. G. Wells",
    publishedYear: 1898,
    genre: "Science Fiction",
    description:
      "Martian war machines land in the English countryside and lay waste to London while a narrator struggles to survive.",
    priceCents: 849,
    stock: 32,
  },
  {
    title: "The Invisible Man",
    author: "H. G. Wells",
    publishedYear: 1897,
    genre: "Science Fiction",
    description:
      "A brilliant but unstable scientist makes himself invisible and descends into isolation, theft and violence in a small Sussex village.",
    priceCents: 799,
    stock: 18,
  },
  {
    title: "The Island of Doctor Moreau",
    author: "H. G. Wells",
    publishedYear: 1896,
    genre: "Horror",
    description:
      "A shipwrecked man lands on a Pacific island where a disgraced surgeon is carving animals into the shape of men.",
    priceCents: 799,
    stock: 11,
  },
  {
    title: "Twenty Thousand Leagues Under the Seas",
    author: "Jules Verne",
    publishedYear: 1870,
    genre: "Science Fiction",
    description:
      "A professor and his companions are held aboard Captain Nemo's submarine Nautilus on a voyage through the wonders of the deep.",
    priceCents: 1099,
    stock: 24,
  },
  {
    title: "Around the World in Eighty Days",
    author: "Jules Verne",
    publishedYear: 1873,
    genre: "Adventure",
    description:
      "The precise Phileas Fogg bets his fortune that he can circle the globe in eighty days, with his resourceful valet Passepartout in tow.",
    priceCents: 899,
    stock: 28,
  },
  {
    title: "Journey to the Centre of the Earth",
    author: "Jules Verne",
    publishedYear: 1864,
    genre: "Science Fiction",
    description:
      "A headstrong professor, his nephew and an Icelandic guide descend an extinct volcano into a hidden world beneath the surface.",
    priceCents: 949,
    stock: 15,
  },
  {
    title: "The Mysterious Island",
    author: "Jules Verne",
    publishedYear: 1875,
    genre: "Adventure",
    description:
      "Escaped Civil War prisoners crash a balloon onto an uncharted island and build a civilisation from scratch with science and ingenuity.",
    priceCents: 1249,
    stock: 0,
  },
  {
    title: "From the Earth to the Moon",
    author: "Jules Verne",
    publishedYear: 1865,
    genre: "Science Fiction",
    description:
      "Members of a Baltimore gun club plan to fire an enormous cannon shell, with passengers aboard, all the way to the Moon.",
    priceCents: 849,
    stock: 9,
  },
  {
    title: "Treasure Island",
    author: "Robert Louis Stevenson",
    publishedYear: 1883,
    genre: "Adventure",
    description:
      "Young Jim Hawkins finds a pirate's map and sails for buried gold, only to find the charming cook Long John Silver leading a mutiny.",
    priceCents: 899,
    stock: 40,
  },
  {
    title: "Strange Case of Dr Jekyll and Mr Hyde",
    author: "Robert Louis Stevenson",
    publishedYear: 1886,
    genre: "Horror",
    description:
      "A London lawyer investigates the link between his respectable friend Dr Jekyll and the brutal, repellent Mr Hyde.",
    priceCents: 599,
    stock: 34,
  },
  {
    title: "Kidnapped",
    author: "Robert Louis Stevenson",
    publishedYear: 1886,
    genre: "Adventure",
    description:
      "Cheated of his inheritance and shipped off as a captive, David Balfour escapes across the Scottish Highlands with the Jacobite Alan Breck.",
    priceCents: 849,
    stock: 14,
  },
  {
    title: "A Child's Garden of Verses",
    author: "Robert Louis Stevenson",
    publishedYear: 1885,
    genre: "Poetry",
    description:
      "Gentle, musical poems that recall the games, fears and daydreams of childhood, from shadows at bedtime to lands of counterpane.",
    priceCents: 699,
    stock: 17,
  },
  {
    title: "Frankenstein",
    author: "Mary Shelley",
    publishedYear: 1818,
    genre: "Horror",
    description:
      "Victor Frankenstein brings a creature to life and abandons it, setting off a tragic chase between maker and made across Europe and the Arctic.",
    priceCents: 899,
    stock: 39,
  },
  {
    title: "The Last Man",
    author: "Mary Shelley",
    publishedYear: 1826,
    genre: "Science Fiction",
    description:
      "In the late twenty-first century a plague sweeps the earth, and a lone narrator records the slow extinction of humankind.",
    priceCents: 1299,
    stock: 5,
  },
  {
    title: "Dracula",
    author: "Bram Stoker",
    publishedYear: 1897,
    genre: "Horror",
    description:
      "Told through letters and diaries, a band of friends races to stop a Transylvanian count who has brought his undead hunger to England.",
    priceCents: 999,
    stock: 36,
  },
  {
    title: "The Picture of Dorian Gray",
    author: "Oscar Wilde",
    publishedYear: 1890,
    genre: "Horror",
    description:
      "A beautiful young man stays untouched by age and vice while his hidden portrait records every sin on his behalf.",
    priceCents: 899,
    stock: 27,
  },
  {
    title: "The Importance of Being Earnest",
    author: "Oscar Wilde",
    publishedYear: 1895,
    genre: "Drama",
    description:
      "Two young men invent alter egos to escape social duties, and the lies collide in Wilde's most dazzling comedy of manners.",
    priceCents: 599,
    stock: 23,
  },
  {
    title: "The Happy Prince and Other Tales",
    author: "Oscar Wilde",
    publishedYear: 1888,
    genre: "Children",
    description:
      "A jewelled statue and a loyal swallow give everything away to the poor of their city in this collection of tender, bittersweet fairy tales.",
    priceCents: 699,
    stock: 12,
  },
  {
    title: "Jane Eyre",
    author: "Charlotte Brontë",
    publishedYear: 1847,
    genre: "Romance",
    description:
      "A plain, fiercely independent governess falls in love with her brooding employer, Mr Rochester, whose house hides a secret.",
    priceCents: 1099,
    stock: 30,
  },
  {
    title: "Villette",
    author: "Charlotte Brontë",
    publishedYear: 1853,
    genre: "Fiction",
    description:
      "Lucy Snowe takes a teaching post in a Belgian girls' school and guards her inner life fiercely amid loneliness and unexpected love.",
    priceCents: 1149,
    stock: 7,
  },
  {
    title: "Wuthering Heights",
    author: "Emily Brontë",
    publishedYear: 1847,
    genre: "Romance",
    description:
      "The wild love between Catherine Earnshaw and the foundling Heathcliff brings revenge and ruin to two families on the Yorkshire moors.",
    priceCents: 999,
    stock: 29,
  },
  {
    title: "The Tenant of Wildfell Hall",
    author: "Anne Brontë",
    publishedYear: 1848,
    genre: "Fiction",
    description:
      "A mysterious widow arrives at a desolate hall, and her diary reveals the cruel marriage she fled with her young son.",
    priceCents: 1049,
    stock: 8,
  },
  {
    title: "Agnes Grey",
    author: "Anne Brontë",
    publishedYear: 1847,
    genre: "Fiction",
    description:
      "A clergyman's daughter becomes a governess and endures spoiled children and snobbish employers, drawn closely from the author's own life.",
    priceCents: 849,
    stock: 6,
  },
  {
    title: "Middlemarch",
    author: "George Eliot",
    publishedYear: 1872,
    genre: "Classics",
    description:
      "The idealistic Dorothea Brooke and an ambitious young doctor pursue noble goals amid the politics and gossip of a Midlands town.",
    priceCents: 1599,
    stock: 17,
  },
  {
    title: "Silas Marner",
    author: "George Eliot",
    publishedYear: 1861,
    genre: "Classics",
    description:
      "A reclusive weaver robbed of his hoarded gold finds a new treasure when an orphaned toddler wanders into his cottage.",
    priceCents: 799,
    stock: 14,
  },
  {
    title: "The Mill on the Floss",
    author: "George Eliot",
    publishedYear: 1860,
    genre: "Fiction",
    description:
      "Maggie Tulliver's bond with her rigid brother Tom is strained by family ruin, forbidden affection and the judgement of a small town.",
    priceCents: 1199,
    stock: 10,
  },
  {
    title: "Tess of the d'Urbervilles",
    author: "Thomas Hardy",
    publishedYear: 1891,
    genre: "Classics",
    description:
      "A poor country girl learns she descends from nobility, and the discovery sets her on a tragic path between two very different men.",
    priceCents: 1099,
    stock: 20,
  },
  {
    title: "Far from the Madding Crowd",
    author: "Thomas Hardy",
    publishedYear: 1874,
    genre: "Romance",
    description:
      "Independent farmer Bathsheba Everdene is courted by a loyal shepherd, a reserved landowner and a dashing soldier in rural Wessex.",
    priceCents: 999,
    stock: 16,
  },
  {
    title: "Jude the Obscure",
    author: "Thomas Hardy",
    publishedYear: 1895,
    genre: "Fiction",
    description:
      "A stonemason dreams of becoming a scholar at Christminster, but poverty, class and an unconventional love defeat him.",
    priceCents: 1049,
    stock: 0,
  },
  {
    title: "The Mayor of Casterbridge",
    author: "Thomas Hardy",
    publishedYear: 1886,
    genre: "Classics",
    description:
      "A drunken hay-trusser sells his wife and child at a fair, then rises to become mayor, until his past returns to claim him.",
    priceCents: 949,
    stock: 11,
  },
  {
    title: "Heart of Darkness",
    author: "Joseph Conrad",
    publishedYear: 1899,
    genre: "Classics",
    description:
      "Marlow pilots a steamer up the Congo River in search of Kurtz, an ivory trader whose station has become a place of horror.",
    priceCents: 699,
    stock: 26,
  },
  {
    title: "Lord Jim",
    author: "Joseph Conrad",
    publishedYear: 1900,
    genre: "Adventure",
    description:
      "A young officer who once abandoned a ship in panic seeks redemption in a remote trading post in the Malay archipelago.",
    priceCents: 1099,
    stock: 9,
  },
  {
    title: "The Secret Agent",
    author: "Joseph Conrad",
    publishedYear: 1907,
    genre: "Fiction",
    description:
      "A shabby London shopkeeper who spies for a foreign embassy is ordered to bomb Greenwich Observatory, with devastating results.",
    priceCents: 999,
    stock: 7,
  },
  {
    title: "The Jungle Book",
    author: "Rudyard Kipling",
    publishedYear: 1894,
    genre: "Children",
    description:
      "Mowgli, a boy raised by wolves, learns the law of the jungle from Baloo and Bagheera while the tiger Shere Khan waits.",
    priceCents: 899,
    stock: 33,
  },
  {
    title: "Kim",
    author: "Rudyard Kipling",
    publishedYear: 1901,
    genre: "Adventure",
    description:
      "An orphaned Irish boy roams India as disciple to a Tibetan lama while being trained as a spy in the Great Game.",
    priceCents: 1149,
    stock: 12,
  },
  {
    title: "Just So Stories",
    author: "Rudyard Kipling",
    publishedYear: 1902,
    genre: "Children",
    description:
      "Playful fables explain how the leopard got its spots, how the camel got its hump and other delightful origins.",
    priceCents: 749,
    stock: 21,
  },
  {
    title: "The Call of the Wild",
    author: "Jack London",
    publishedYear: 1903,
    genre: "Adventure",
    description:
      "Stolen from a California ranch, the dog Buck is sold into the Klondike gold rush and gradually answers the pull of his wild ancestors.",
    priceCents: 799,
    stock: 35,
  },
  {
    title: "White Fang",
    author: "Jack London",
    publishedYear: 1906,
    genre: "Adventure",
    description:
      "A wolf-dog born in the frozen Yukon passes through cruelty and fighting before kindness slowly tames him.",
    priceCents: 849,
    stock: 22,
  },
  {
    title: "The Sea-Wolf",
    author: "Jack London",
    publishedYear: 1904,
    genre: "Adventure",
    description:
      "A gentle literary critic is rescued at sea by a sealing schooner whose brutal, philosophical captain refuses to let him go.",
    priceCents: 949,
    stock: 8,
  },
  {
    title: "The Iron Heel",
    author: "Jack London",
    publishedYear: 1908,
    genre: "Science Fiction",
    description:
      "A manuscript found centuries later records the rise of a ruthless oligarchy in America and the revolutionaries who resisted it.",
    priceCents: 1049,
    stock: 0,
  },
  {
    title: "My Ántonia",
    author: "Willa Cather",
    publishedYear: 1918,
    genre: "Fiction",
    description:
      "A man recalls his Nebraska boyhood and his friendship with Ántonia Shimerda, a Bohemian immigrant girl of remarkable resilience.",
    priceCents: 1099,
    stock: 13,
  },
  {
    title: "O Pioneers!",
    author: "Willa Cather",
    publishedYear: 1913,
    genre: "Fiction",
    description:
      "Alexandra Bergson turns her family's struggling prairie homestead into a thriving farm, though love and tragedy follow her success.",
    priceCents: 899,
    stock: 10,
  },
  {
    title: "The Age of Innocence",
    author: "Edith Wharton",
    publishedYear: 1920,
    genre: "Romance",
    description:
      "A New York lawyer engaged to a conventional young woman falls for her unconventional cousin in the gilded, rule-bound 1870s.",
    priceCents: 1199,
    stock: 18,
  },
  {
    title: "The House of Mirth",
    author: "Edith Wharton",
    publishedYear: 1905,
    genre: "Fiction",
    description:
      "Beautiful but penniless Lily Bart must marry well to keep her place in high society, and every hesitation costs her more.",
    priceCents: 1149,
    stock: 9,
  },
  {
    title: "Ethan Frome",
    author: "Edith Wharton",
    publishedYear: 1911,
    genre: "Classics",
    description:
      "A poor New England farmer trapped in a bleak marriage falls for his wife's young cousin during a long and bitter winter.",
    priceCents: 699,
    stock: 15,
  },
  {
    title: "The Turn of the Screw",
    author: "Henry James",
    publishedYear: 1898,
    genre: "Horror",
    description:
      "A governess at a remote country house becomes convinced that two ghosts are stalking the children in her care.",
    priceCents: 649,
    stock: 19,
  },
  {
    title: "The Portrait of a Lady",
    author: "Henry James",
    publishedYear: 1881,
    genre: "Classics",
    description:
      "Isabel Archer, a spirited American heiress, prizes her freedom above all, until a subtle trap closes around her in Europe.",
    priceCents: 1349,
    stock: 8,
  },
  {
    title: "Daisy Miller",
    author: "Henry James",
    publishedYear: 1878,
    genre: "Fiction",
    description:
      "A carefree American girl touring Europe scandalises expatriate society and baffles the young man who cannot decide what she is.",
    priceCents: 549,
    stock: 11,
  },
  {
    title: "Inferno",
    author: "Dante Alighieri",
    publishedYear: 1314,
    genre: "Poetry",
    description:
      "Guided by the poet Virgil, Dante descends through the nine circles of Hell and meets the damned souls of history and his own Florence.",
    priceCents: 1299,
    stock: 16,
  },
  {
    title: "Don Quixote",
    author: "Miguel de Cervantes",
    publishedYear: 1605,
    genre: "Classics",
    description:
      "A country gentleman addled by chivalric romances sets out as a knight errant with his practical squire Sancho Panza.",
    priceCents: 1699,
    stock: 20,
  },
  {
    title: "Les Misérables",
    author: "Victor Hugo",
    publishedYear: 1862,
    genre: "Classics",
    description:
      "The ex-convict Jean Valjean seeks redemption across decades of French history while the relentless Inspector Javert pursues him.",
    priceCents: 1999,
    stock: 25,
  },
  {
    title: "The Hunchback of Notre-Dame",
    author: "Victor Hugo",
    publishedYear: 1831,
    genre: "Romance",
    description:
      "The deformed bell-ringer Quasimodo loves the dancer Esmeralda in a medieval Paris dominated by its great cathedral.",
    priceCents: 1249,
    stock: 14,
  },
  {
    title: "The Count of Monte Cristo",
    author: "Alexandre Dumas",
    publishedYear: 1844,
    genre: "Adventure",
    description:
      "Falsely imprisoned on the eve of his wedding, Edmond Dantès escapes, finds a hidden fortune and methodically takes revenge on his betrayers.",
    priceCents: 1899,
    stock: 28,
  },
  {
    title: "The Three Musketeers",
    author: "Alexandre Dumas",
    publishedYear: 1844,
    genre: "Adventure",
    description:
      "Young d'Artagnan joins Athos, Porthos and Aramis in duels and intrigues defending the queen against Cardinal Richelieu.",
    priceCents: 1399,
    stock: 24,
  },
  {
    title: "Madame Bovary",
    author: "Gustave Flaubert",
    publishedYear: 1857,
    genre: "Classics",
    description:
      "A doctor's wife bored by provincial life seeks romance in affairs and luxury, sinking into debt and despair.",
    priceCents: 1049,
    stock: 15,
  },
  {
    title: "Sentimental Education",
    author: "Gustave Flaubert",
    publishedYear: 1869,
    genre: "Fiction",
    description:
      "A young man drifts through Paris in the years around the 1848 revolution, loving an unattainable married woman from afar.",
    priceCents: 1199,
    stock: 4,
  },
  {
    title: "Père Goriot",
    author: "Honoré de Balzac",
    publishedYear: 1835,
    genre: "Classics",
    description:
      "In a shabby Paris boarding house, an old man ruins himself for his ungrateful daughters while an ambitious student learns the city's rules.",
    priceCents: 999,
    stock: 10,
  },
  {
    title: "Eugénie Grandet",
    author: "Honoré de Balzac",
    publishedYear: 1833,
    genre: "Fiction",
    description:
      "The daughter of a miserly provincial cooper gives her heart to a penniless cousin, defying a father who loves only his gold.",
    priceCents: 899,
    stock: 6,
  },
  {
    title: "Germinal",
    author: "Émile Zola",
    publishedYear: 1885,
    genre: "Fiction",
    description:
      "An unemployed mechanic arrives in a northern French coal town and helps lead a desperate miners' strike against the company.",
    priceCents: 1249,
    stock: 11,
  },
  {
    title: "Thérèse Raquin",
    author: "Émile Zola",
    publishedYear: 1867,
    genre: "Fiction",
    description:
      "A stifled young wife and her lover murder her sickly husband, then find themselves haunted by guilt that poisons every moment together.",
    priceCents: 849,
    stock: 9,
  },
  {
    title: "Faust, Part One",
    author: "Johann Wolfgang von Goethe",
    publishedYear: 1808,
    genre: "Drama",
    description:
      "A restless scholar bargains his soul with the devil Mephistopheles in exchange for knowledge and experience, and seduces the innocent Gretchen.",
    priceCents: 1149,
    stock: 13,
  },
  {
    title: "The Sorrows of Young Werther",
    author: "Johann Wolfgang von Goethe",
    publishedYear: 1774,
    genre: "Romance",
    description:
      "In letters to a friend, a sensitive young artist pours out his hopeless love for a woman engaged to another man.",
    priceCents: 749,
    stock: 12,
  },
  {
    title: "The Metamorphosis",
    author: "Franz Kafka",
    publishedYear: 1915,
    genre: "Fiction",
    description:
      "Travelling salesman Gregor Samsa wakes up transformed into a giant insect and becomes a burden to the family he supported.",
    priceCents: 599,
    stock: 37,
  },
  {
    title: "The Trial",
    author: "Franz Kafka",
    publishedYear: 1925,
    genre: "Fiction",
    description:
      "Josef K. is arrested one morning for an unnamed crime and struggles through a maze of courts that never explain themselves.",
    priceCents: 1049,
    stock: 18,
  },
  {
    title: "The Castle",
    author: "Franz Kafka",
    publishedYear: 1926,
    genre: "Fiction",
    description:
      "A land surveyor summoned to a village tries in vain to reach the remote authorities who govern it from a castle on the hill.",
    priceCents: 1099,
    stock: 0,
  },
  {
    title: "The Cherry Orchard",
    author: "Anton Chekhov",
    publishedYear: 1904,
    genre: "Drama",
    description:
      "An aristocratic family returns to its beloved estate and drifts toward losing it at auction, unable to act as the old world ends.",
    priceCents: 649,
    stock: 14,
  },
  {
    title: "The Seagull",
    author: "Anton Chekhov",
    publishedYear: 1896,
    genre: "Drama",
    description:
      "Artists and lovers gather at a lakeside estate, where a young writer and an aspiring actress chase fame and affection without success.",
    priceCents: 599,
    stock: 9,
  },
  {
    title: "Uncle Vanya",
    author: "Anton Chekhov",
    publishedYear: 1897,
    genre: "Drama",
    description:
      "When a retired professor and his young wife visit the country estate that supports them, long-buried resentments finally boil over.",
    priceCents: 599,
    stock: 7,
  },
  {
    title: "Dead Souls",
    author: "Nikolai Gogol",
    publishedYear: 1842,
    genre: "Fiction",
    description:
      "The smooth swindler Chichikov tours provincial Russia buying up the names of dead serfs in a scheme that satirises an entire society.",
    priceCents: 1149,
    stock: 8,
  },
  {
    title: "The Overcoat",
    author: "Nikolai Gogol",
    publishedYear: 1842,
    genre: "Fiction",
    description:
      "A humble St Petersburg copying clerk scrimps for a new overcoat, the one joy of his life, and is crushed when it is stolen.",
    priceCents: 449,
    stock: 13,
  },
  {
    title: "Fathers and Sons",
    author: "Ivan Turgenev",
    publishedYear: 1862,
    genre: "Classics",
    description:
      "A young nihilist visits his friend's country home and clashes with an older generation of liberal gentry.",
    priceCents: 949,
    stock: 10,
  },
  {
    title: "A Doll's House",
    author: "Henrik Ibsen",
    publishedYear: 1879,
    genre: "Drama",
    description:
      "Nora Helmer's secret loan threatens to surface, forcing her to see her marriage and herself in an entirely new light.",
    priceCents: 649,
    stock: 21,
  },
  {
    title: "Hedda Gabler",
    author: "Henrik Ibsen",
    publishedYear: 1890,
    genre: "Drama",
    description:
      "A general's restless daughter, newly married to a dull academic, manipulates those around her with devastating consequences.",
    priceCents: 649,
    stock: 12,
  },
  {
    title: "Hamlet",
    author: "William Shakespeare",
    publishedYear: 1603,
    genre: "Drama",
    description:
      "The prince of Denmark is commanded by his father's ghost to avenge a murder, and his hesitation brings ruin to the whole court.",
    priceCents: 699,
    stock: 44,
  },
  {
    title: "Macbeth",
    author: "William Shakespeare",
    publishedYear: 1623,
    genre: "Drama",
    description:
      "Spurred by witches' prophecies and his wife's ambition, a Scottish general murders his king and spirals into tyranny and madness.",
    priceCents: 649,
    stock: 39,
  },
  {
    title: "Romeo and Juliet",
    author: "William Shakespeare",
    publishedYear: 1597,
    genre: "Drama",
    description:
      "Two young lovers from feuding families in Verona marry in secret, and a chain of misfortunes leads them to tragedy.",
    priceCents: 649,
    stock: 42,
  },
  {
    title: "King Lear",
    author: "William Shakespeare",
    publishedYear: 1608,
    genre: "Drama",
    description:
      "An aging king divides his realm between flattering daughters and banishes the honest one, unleashing madness and betrayal.",
    priceCents: 699,
    stock: 19,
  },
  {
    title: "A Midsummer Night's Dream",
    author: "William Shakespeare",
    publishedYear: 1600,
    genre: "Drama",
    description:
      "Young lovers, quarrelling fairies and a troupe of amateur actors collide in an enchanted wood outside Athens.",
    priceCents: 599,
    stock: 27,
  },
  {
    title: "The Tempest",
    author: "William Shakespeare",
    publishedYear: 1623,
    genre: "Drama",
    description:
      "The exiled magician Prospero conjures a storm to bring his old enemies to his island, and must decide between vengeance and mercy.",
    priceCents: 649,
    stock: 16,
  },
  {
    title: "Shakespeare's Sonnets",
    author: "William Shakespeare",
    publishedYear: 1609,
    genre: "Poetry",
    description:
      "One hundred and fifty-four sonnets on love, time, beauty and mortality, addressed to a fair youth and a mysterious dark lady.",
    priceCents: 799,
    stock: 18,
  },
  {
    title: "Doctor Faustus",
    author: "Christopher Marlowe",
    publishedYear: 1604,
    genre: "Drama",
    description:
      "A German scholar sells his soul to Lucifer for twenty-four years of power and pleasure, then faces the reckoning in his final hour.",
    priceCents: 599,
    stock: 8,
  },
  {
    title: "Gulliver's Travels",
    author: "Jonathan Swift",
    publishedYear: 1726,
    genre: "Fantasy",
    description:
      "A ship's surgeon visits the tiny Lilliputians, the giant Brobdingnagians and other strange peoples in Swift's savage satire of humanity.",
    priceCents: 999,
    stock: 23,
  },
  {
    title: "A Modest Proposal",
    author: "Jonathan Swift",
    publishedYear: 1729,
    genre: "Essays",
    description:
      "With a perfectly straight face, Swift proposes that the Irish poor sell their children as food, skewering the cruelty of English policy.",
    priceCents: 399,
    stock: 15,
  },
  {
    title: "Robinson Crusoe",
    author: "Daniel Defoe",
    publishedYear: 1719,
    genre: "Adventure",
    description:
      "A shipwrecked sailor spends decades alone on a tropical island, building a life from salvage, stubbornness and faith.",
    priceCents: 949,
    stock: 26,
  },
  {
    title: "Moll Flanders",
    author: "Daniel Defoe",
    publishedYear: 1722,
    genre: "Fiction",
    description:
      "Born in Newgate prison, a resourceful woman survives through many marriages, thefts and reinventions before seeking repentance.",
    priceCents: 899,
    stock: 5,
  },
  {
    title: "A Journal of the Plague Year",
    author: "Daniel Defoe",
    publishedYear: 1722,
    genre: "History",
    description:
      "A vivid, fictionalised eyewitness account of the Great Plague that swept through London in 1665, street by street.",
    priceCents: 849,
    stock: 14,
  },
  {
    title: "Tom Jones",
    author: "Henry Fielding",
    publishedYear: 1749,
    genre: "Classics",
    description:
      "A lusty, good-hearted foundling is cast out by his guardian and tumbles through the inns and roads of England toward his true love.",
    priceCents: 1499,
    stock: 6,
  },
  {
    title: "Tristram Shandy",
    author: "Laurence Sterne",
    publishedYear: 1759,
    genre: "Fiction",
    description:
      "A narrator sets out to tell his life story but digresses so wildly that he is barely born by the third volume.",
    priceCents: 1249,
    stock: 4,
  },
  {
    title: "Alice's Adventures in Wonderland",
    author: "Lewis Carroll",
    publishedYear: 1865,
    genre: "Children",
    description:
      "Alice follows a White Rabbit down a hole into a nonsensical world of talking animals, a Mad Hatter and a furious Queen of Hearts.",
    priceCents: 799,
    stock: 47,
  },
  {
    title: "Through the Looking-Glass",
    author: "Lewis Carroll",
    publishedYear: 1871,
    genre: "Fantasy",
    description:
      "Alice climbs through a mirror into a reversed world laid out like a chessboard, where she hopes to become a queen.",
    priceCents: 799,
    stock: 25,
  },
  {
    title: "The Wonderful Wizard of Oz",
    author: "L. Frank Baum",
    publishedYear: 1900,
    genre: "Children",
    description:
      "A Kansas cyclone carries Dorothy to the land of Oz, where she follows the yellow brick road with a scarecrow, a tin man and a lion.",
    priceCents: 899,
    stock: 38,
  },
  {
    title: "The Marvelous Land of Oz",
    author: "L. Frank Baum",
    publishedYear: 1904,
    genre: "Fantasy",
    description:
      "A runaway boy named Tip brings a pumpkin-headed man to life and joins the Scarecrow in defending the Emerald City.",
    priceCents: 849,
    stock: 10,
  },
  {
    title: "The Secret Garden",
    author: "Frances Hodgson Burnett",
    publishedYear: 1911,
    genre: "Children",
    description:
      "A sour, lonely orphan sent to a Yorkshire manor discovers a locked, neglected garden and brings it, and her sickly cousin, back to life.",
    priceCents: 849,
    stock: 32,
  },
  {
    title: "A Little Princess",
    author: "Frances Hodgson Burnett",
    publishedYear: 1905,
    genre: "Children",
    description:
      "Sara Crewe goes from pampered pupil to attic servant at a London boarding school, yet keeps her kindness and imagination.",
    priceCents: 799,
    stock: 20,
  },
  {
    title: "Little Lord Fauntleroy",
    author: "Frances Hodgson Burnett",
    publishedYear: 1886,
    genre: "Children",
    description:
      "A warm-hearted New York boy learns he is heir to an English earldom and slowly melts his grandfather's stony heart.",
    priceCents: 699,
    stock: 0,
  },
  {
    title: "Little Women",
    author: "Louisa May Alcott",
    publishedYear: 1868,
    genre: "Fiction",
    description:
      "The four March sisters grow up in Civil War New England, each chasing her own dreams of art, love and independence.",
    priceCents: 1099,
    stock: 34,
  },
  {
    title: "Little Men",
    author: "Louisa May Alcott",
    publishedYear: 1871,
    genre: "Children",
    description:
      "Jo March and her husband run a lively school at Plumfield, where a crowd of unruly boys learns through kindness and play.",
    priceCents: 849,
    stock: 9,
  },
  {
    title: "Anne of Green Gables",
    author: "L. M. Montgomery",
    publishedYear: 1908,
    genre: "Children",
    description:
      "Talkative, red-haired orphan Anne Shirley is sent by mistake to an elderly brother and sister on Prince Edward Island and wins them over.",
    priceCents: 899,
    stock: 36,
  },
  {
    title: "Anne of Avonlea",
    author: "L. M. Montgomery",
    publishedYear: 1909,
    genre: "Children",
    description:
      "Now sixteen, Anne becomes the village schoolteacher and throws herself into improvement societies, twins and new friendships.",
    priceCents: 849,
    stock: 15,
  },
  {
    title: "The Wind in the Willows",
    author: "Kenneth Grahame",
    publishedYear: 1908,
    genre: "Children",
    description:
      "Mole, Ratty and Badger try to rescue the boastful, motor-car-mad Mr Toad from his own excesses along the riverbank.",
    priceCents: 849,
    stock: 28,
  },
  {
    title: "Peter and Wendy",
    author: "J. M. Barrie",
    publishedYear: 1911,
    genre: "Fantasy",
    description:
      "Wendy Darling and her brothers fly to Neverland with Peter Pan, the boy who never grew up, and battle Captain Hook.",
    priceCents: 799,
    stock: 30,
  },
  {
    title: "Black Beauty",
    author: "Anna Sewell",
    publishedYear: 1877,
    genre: "Children",
    description:
      "A handsome horse narrates his life from happy colthood through hard years pulling London cabs, pleading for kinder treatment of animals.",
    priceCents: 749,
    stock: 22,
  },
  {
    title: "The Prince",
    author: "Niccolò Machiavelli",
    publishedYear: 1532,
    genre: "Philosophy",
    description:
      "A blunt handbook on how rulers gain and keep power, arguing that effectiveness sometimes demands cruelty and deceit.",
    priceCents: 699,
    stock: 31,
  },
  {
    title: "Walden",
    author: "Henry David Thoreau",
    publishedYear: 1854,
    genre: "Essays",
    description:
      "Thoreau reflects on two years living simply in a cabin by Walden Pond, questioning work, wealth and what a good life requires.",
    priceCents: 999,
    stock: 24,
  },
  {
    title: "Civil Disobedience",
    author: "Henry David Thoreau",
    publishedYear: 1849,
    genre: "Essays",
    description:
      "After a night in jail for refusing to pay a poll tax, Thoreau argues that conscience must come before obedience to unjust law.",
    priceCents: 399,
    stock: 19,
  },
  {
    title: "Essays: First Series",
    author: "Ralph Waldo Emerson",
    publishedYear: 1841,
    genre: "Essays",
    description:
      "Includes Self-Reliance and other essays urging readers to trust their own intuition over custom, authority and conformity.",
    priceCents: 899,
    stock: 12,
  },
  {
    title: "Nature",
    author: "Ralph Waldo Emerson",
    publishedYear: 1836,
    genre: "Essays",
    description:
      "Emerson's founding statement of Transcendentalism, proposing that the natural world is a direct path to spiritual insight.",
    priceCents: 499,
    stock: 10,
  },
  {
    title: "Leaves of Grass",
    author: "Walt Whitman",
    publishedYear: 1855,
    genre: "Poetry",
    description:
      "Whitman's expansive free verse celebrates the body, democracy and the teeming variety of American life, beginning with Song of Myself.",
    priceCents: 1199,
    stock: 21,
  },
  {
    title: "Poems by Emily Dickinson",
    author: "Emily Dickinson",
    publishedYear: 1890,
    genre: "Poetry",
    description:
      "The first posthumous selection of Dickinson's compressed, startling lyrics on death, nature, faith and the inner life.",
    priceCents: 899,
    stock: 17,
  },
  {
    title: "On the Origin of Species",
    author: "Charles Darwin",
    publishedYear: 1859,
    genre: "Science",
    description:
      "Darwin sets out the theory of evolution by natural selection, supported by years of careful observation of plants and animals.",
    priceCents: 1499,
    stock: 20,
  },
  {
    title: "The Voyage of the Beagle",
    author: "Charles Darwin",
    publishedYear: 1839,
    genre: "Science",
    description:
      "The young naturalist's journal of a five-year voyage around the world, from the Galápagos to Tierra del Fuego.",
    priceCents: 1299,
    stock: 11,
  },
  {
    title: "The Descent of Man",
    author: "Charles Darwin",
    publishedYear: 1871,
    genre: "Science",
    description:
      "Darwin applies evolutionary theory to human origins and introduces his ideas about sexual selection.",
    priceCents: 1399,
    stock: 6,
  },
  {
    title: "North and South",
    author: "Elizabeth Gaskell",
    publishedYear: 1855,
    genre: "Romance",
    description:
      "A clergyman's daughter moves from the gentle south to an industrial northern town and clashes with a proud mill owner.",
    priceCents: 1049,
    stock: 14,
  },
  {
    title: "Cranford",
    author: "Elizabeth Gaskell",
    publishedYear: 1853,
    genre: "Fiction",
    description:
      "Gentle, funny sketches of a small English town governed by genteel widows and spinsters who make an art of economy.",
    priceCents: 799,
    stock: 9,
  },
  {
    title: "Wives and Daughters",
    author: "Elizabeth Gaskell",
    publishedYear: 1866,
    genre: "Fiction",
    description:
      "Molly Gibson's quiet life is upended when her widowed father marries a vain, scheming woman with a captivating daughter.",
    priceCents: 1199,
    stock: 5,
  },
  {
    title: "Barchester Towers",
    author: "Anthony Trollope",
    publishedYear: 1857,
    genre: "Fiction",
    description:
      "The arrival of a new bishop, his domineering wife and an oily chaplain sets off comic warfare in a sleepy cathedral town.",
    priceCents: 1099,
    stock: 7,
  },
  {
    title: "The Way We Live Now",
    author: "Anthony Trollope",
    publishedYear: 1875,
    genre: "Fiction",
    description:
      "A mysterious financier dazzles London society with a railway scheme in Trollope's biting satire of greed and speculation.",
    priceCents: 1449,
    stock: 4,
  },
  {
    title: "The Moonstone",
    author: "Wilkie Collins",
    publishedYear: 1868,
    genre: "Mystery",
    description:
      "A sacred Indian diamond vanishes from a Yorkshire country house, and several narrators piece together the truth of its theft.",
    priceCents: 1099,
    stock: 18,
  },
  {
    title: "The Woman in White",
    author: "Wilkie Collins",
    publishedYear: 1860,
    genre: "Mystery",
    description:
      "A drawing master's encounter with a ghostly woman on a moonlit road leads to a conspiracy of stolen identity and fortune.",
    priceCents: 1149,
    stock: 16,
  },
  {
    title: "King Solomon's Mines",
    author: "H. Rider Haggard",
    publishedYear: 1885,
    genre: "Adventure",
    description:
      "Hunter Allan Quatermain leads an expedition across desert and mountains in search of a lost brother and a legendary treasure.",
    priceCents: 899,
    stock: 17,
  },
  {
    title: "She",
    author: "H. Rider Haggard",
    publishedYear: 1887,
    genre: "Fantasy",
    description:
      "Two Englishmen journey into the African interior and find an immortal queen who has waited two thousand years for her lost love.",
    priceCents: 949,
    stock: 8,
  },
  {
    title: "A Princess of Mars",
    author: "Edgar Rice Burroughs",
    publishedYear: 1917,
    genre: "Science Fiction",
    description:
      "Civil War veteran John Carter is mysteriously transported to Mars, where he battles green warriors and wins a princess.",
    priceCents: 849,
    stock: 19,
  },
  {
    title: "Tarzan of the Apes",
    author: "Edgar Rice Burroughs",
    publishedYear: 1914,
    genre: "Adventure",
    description:
      "The orphaned son of English aristocrats is raised by apes in the African jungle and grows into its lord.",
    priceCents: 899,
    stock: 21,
  },
  {
    title: "The Innocence of Father Brown",
    author: "G. K. Chesterton",
    publishedYear: 1911,
    genre: "Mystery",
    description:
      "A mild, unassuming Catholic priest solves baffling crimes through his deep understanding of human sin and folly.",
    priceCents: 899,
    stock: 13,
  },
  {
    title: "The Man Who Was Thursday",
    author: "G. K. Chesterton",
    publishedYear: 1908,
    genre: "Mystery",
    description:
      "A poet-turned-detective infiltrates a council of anarchists named for the days of the week, and nothing is as it seems.",
    priceCents: 849,
    stock: 10,
  },
  {
    title: "The Mysterious Affair at Styles",
    author: "Agatha Christie",
    publishedYear: 1920,
    genre: "Mystery",
    description:
      "Hercule Poirot makes his debut investigating the poisoning of a wealthy widow at an Essex country house during the First World War.",
    priceCents: 999,
    stock: 33,
  },
  {
    title: "The Great Gatsby",
    author: "F. Scott Fitzgerald",
    publishedYear: 1925,
    genre: "Classics",
    description:
      "Narrator Nick Carraway watches his mysterious neighbour Jay Gatsby throw lavish parties in pursuit of a lost love on Long Island.",
    priceCents: 1099,
    stock: 42,
  },
  {
    title: "This Side of Paradise",
    author: "F. Scott Fitzgerald",
    publishedYear: 1920,
    genre: "Fiction",
    description:
      "Amory Blaine moves through Princeton, war and heartbreak in Fitzgerald's restless debut about a self-absorbed young man.",
    priceCents: 949,
    stock: 7,
  },
  {
    title: "Mrs Dalloway",
    author: "Virginia Woolf",
    publishedYear: 1925,
    genre: "Fiction",
    description:
      "Over a single June day in London, Clarissa Dalloway prepares for a party while a shell-shocked veteran moves toward crisis.",
    priceCents: 1049,
    stock: 20,
  },
  {
    title: "To the Lighthouse",
    author: "Virginia Woolf",
    publishedYear: 1927,
    genre: "Fiction",
    description:
      "The Ramsay family's summers in the Hebrides, and a long-postponed trip to a lighthouse, capture time, loss and memory.",
    priceCents: 1049,
    stock: 15,
  },
  {
    title: "Orlando",
    author: "Virginia Woolf",
    publishedYear: 1928,
    genre: "Fantasy",
    description:
      "A young Elizabethan nobleman lives for centuries and wakes one day as a woman in Woolf's playful mock biography.",
    priceCents: 999,
    stock: 12,
  },
  {
    title: "Dubliners",
    author: "James Joyce",
    publishedYear: 1914,
    genre: "Fiction",
    description:
      "Fifteen stories portray ordinary lives in Dublin, each moving toward a quiet moment of revelation, ending with The Dead.",
    priceCents: 899,
    stock: 17,
  },
  {
    title: "A Portrait of the Artist as a Young Man",
    author: "James Joyce",
    publishedYear: 1916,
    genre: "Classics",
    description:
      "Stephen Dedalus grows up in Catholic Ireland and slowly breaks with family, faith and nation to pursue his art.",
    priceCents: 999,
    stock: 14,
  },
  {
    title: "Ulysses",
    author: "James Joyce",
    publishedYear: 1922,
    genre: "Classics",
    description:
      "Leopold Bloom wanders Dublin on 16 June 1904 in an epic of ordinary life that reinvents the novel chapter by chapter.",
    priceCents: 1899,
    stock: 11,
  },
  {
    title: "Gitanjali",
    author: "Rabindranath Tagore",
    publishedYear: 1912,
    genre: "Poetry",
    description:
      "Tagore's own English prose renderings of devotional songs, celebrating the divine in nature, love and everyday life.",
    priceCents: 799,
    stock: 13,
  },
  {
    title: "The Home and the World",
    author: "Rabindranath Tagore",
    publishedYear: 1916,
    genre: "Fiction",
    description:
      "During the Swadeshi movement in Bengal, a woman is torn between her gentle husband and a fiery nationalist leader.",
    priceCents: 949,
    stock: 6,
  },
  {
    title: "The Posthumous Memoirs of Brás Cubas",
    author: "Machado de Assis",
    publishedYear: 1881,
    genre: "Classics",
    description:
      "A dead man narrates his idle, privileged life in Rio de Janeiro with ironic wit, dedicating the book to the first worm to gnaw his corpse.",
    priceCents: 1149,
    stock: 8,
  },
  {
    title: "Dom Casmurro",
    author: "Machado de Assis",
    publishedYear: 1899,
    genre: "Fiction",
    description:
      "An embittered man retells his love for his childhood sweetheart Capitu, and his unprovable suspicion that she betrayed him.",
    priceCents: 1049,
    stock: 9,
  },
  {
    title: "María",
    author: "Jorge Isaacs",
    publishedYear: 1867,
    genre: "Romance",
    description:
      "In Colombia's Cauca Valley, young Efraín falls in love with his cousin María, whose fragile health clouds their future.",
    priceCents: 949,
    stock: 5,
  },
  {
    title: "The Gaucho Martín Fierro",
    author: "José Hernández",
    publishedYear: 1872,
    genre: "Poetry",
    description:
      "An epic poem in gaucho verse about a cowboy of the Argentine pampas conscripted to the frontier and driven into outlaw life.",
    priceCents: 899,
    stock: 4,
  },
  {
    title: "Azul",
    author: "Rubén Darío",
    publishedYear: 1888,
    genre: "Poetry",
    description:
      "The collection of stories and poems that launched Spanish-language modernismo with its musical, richly coloured style.",
    priceCents: 799,
    stock: 6,
  },
  {
    title: "We",
    author: "Yevgeny Zamyatin",
    publishedYear: 1924,
    genre: "Science Fiction",
    description:
      "In a glass-walled future state where citizens are numbers, an engineer begins to feel a dangerous attraction and a desire to rebel.",
    priceCents: 1049,
    stock: 16,
  },
  {
    title: "R.U.R.",
    author: "Karel Čapek",
    publishedYear: 1920,
    genre: "Science Fiction",
    description:
      "A factory mass-produces artificial workers called robots, and their eventual revolt threatens humanity in the play that coined the word.",
    priceCents: 699,
    stock: 12,
  },
  {
    title: "A Vindication of the Rights of Woman",
    author: "Mary Wollstonecraft",
    publishedYear: 1792,
    genre: "Philosophy",
    description:
      "Wollstonecraft argues that women only seem inferior because they are denied education, and calls for them to be treated as rational beings.",
    priceCents: 899,
    stock: 15,
  },
  {
    title: "Meditations",
    author: "Marcus Aurelius",
    publishedYear: 1558,
    genre: "Philosophy",
    description:
      "The private notebooks of a Roman emperor, reminding himself of Stoic duty, self-control and calm acceptance of what cannot be changed.",
    priceCents: 799,
    stock: 40,
  },
  {
    title: "The Republic",
    author: "Plato",
    publishedYear: 1871,
    genre: "Philosophy",
    description:
      "Socrates and his companions ask what justice is and sketch an ideal city ruled by philosopher kings, in Benjamin Jowett's translation.",
    priceCents: 1199,
    stock: 22,
  },
  {
    title: "The Iliad",
    author: "Homer",
    publishedYear: 1720,
    genre: "Poetry",
    description:
      "Alexander Pope's rhyming translation of the epic of Achilles' wrath and the final weeks of the Trojan War.",
    priceCents: 1349,
    stock: 18,
  },
  {
    title: "The Odyssey",
    author: "Homer",
    publishedYear: 1900,
    genre: "Adventure",
    description:
      "Samuel Butler's prose translation of Odysseus's ten-year voyage home from Troy past monsters, witches and jealous gods.",
    priceCents: 1249,
    stock: 25,
  },
  {
    title: "Thus Spoke Zarathustra",
    author: "Friedrich Nietzsche",
    publishedYear: 1883,
    genre: "Philosophy",
    description:
      "A prophet descends from his mountain to teach the death of God, the overman and eternal recurrence in poetic, parable-like speeches.",
    priceCents: 1099,
    stock: 13,
  },
  {
    title: "Beyond Good and Evil",
    author: "Friedrich Nietzsche",
    publishedYear: 1886,
    genre: "Philosophy",
    description:
      "Nietzsche attacks the hidden assumptions of past philosophers and morality, urging a more daring kind of thinker.",
    priceCents: 999,
    stock: 9,
  },
  {
    title: "On Liberty",
    author: "John Stuart Mill",
    publishedYear: 1859,
    genre: "Philosophy",
    description:
      "Mill defends freedom of thought and action against both government and social pressure, limited only by harm to others.",
    priceCents: 749,
    stock: 17,
  },
  {
    title: "Discourse on the Method",
    author: "René Descartes",
    publishedYear: 1637,
    genre: "Philosophy",
    description:
      "Descartes resolves to doubt everything he can, arriving at the famous certainty that he thinks and therefore exists.",
    priceCents: 649,
    stock: 11,
  },
  {
    title: "Leviathan",
    author: "Thomas Hobbes",
    publishedYear: 1651,
    genre: "Philosophy",
    description:
      "Hobbes argues that without a strong sovereign, life would be nasty, brutish and short, and lays out a theory of the social contract.",
    priceCents: 1299,
    stock: 0,
  },
  {
    title: "The History of the Decline and Fall of the Roman Empire",
    author: "Edward Gibbon",
    publishedYear: 1776,
    genre: "History",
    description:
      "Gibbon's monumental, ironic narrative of how Rome's empire weakened and collapsed over thirteen centuries.",
    priceCents: 2499,
    stock: 6,
  },
  {
    title: "The French Revolution: A History",
    author: "Thomas Carlyle",
    publishedYear: 1837,
    genre: "History",
    description:
      "Carlyle retells the Revolution from the fall of the Bastille to the Terror in blazing, dramatic present-tense prose.",
    priceCents: 1599,
    stock: 5,
  },
  {
    title: "History of the Conquest of Mexico",
    author: "William H. Prescott",
    publishedYear: 1843,
    genre: "History",
    description:
      "A vivid narrative of Hernán Cortés's campaign against the Aztec empire, drawn from Spanish and indigenous sources.",
    priceCents: 1799,
    stock: 4,
  },
  {
    title: "The Souls of Black Folk",
    author: "W. E. B. Du Bois",
    publishedYear: 1903,
    genre: "Essays",
    description:
      "Du Bois combines history, sociology and memoir to describe the double consciousness of Black Americans after Reconstruction.",
    priceCents: 999,
    stock: 19,
  },
  {
    title: "Narrative of the Life of Frederick Douglass",
    author: "Frederick Douglass",
    publishedYear: 1845,
    genre: "History",
    description:
      "Douglass recounts his enslavement in Maryland, teaching himself to read and his escape to freedom in the North.",
    priceCents: 799,
    stock: 23,
  },
  {
    title: "The Histories",
    author: "Herodotus",
    publishedYear: 1858,
    genre: "History",
    description:
      "George Rawlinson's translation of the Greek inquiry into the Persian Wars, full of travellers' tales of distant peoples and customs.",
    priceCents: 1699,
    stock: 7,
  },
  {
    title: "Dialogue Concerning the Two Chief World Systems",
    author: "Galileo Galilei",
    publishedYear: 1632,
    genre: "Science",
    description:
      "Three friends debate whether the Earth moves around the Sun, in the book that led to Galileo's trial by the Inquisition.",
    priceCents: 1499,
    stock: 0,
  },
  {
    title: "The Chemical History of a Candle",
    author: "Michael Faraday",
    publishedYear: 1861,
    genre: "Science",
    description:
      "Faraday's Christmas lectures for young people explain combustion, air and water by studying the simple burning candle.",
    priceCents: 699,
    stock: 12,
  },
  {
    title: "Relativity: The Special and General Theory",
    author: "Albert Einstein",
    publishedYear: 1916,
    genre: "Science",
    description:
      "Einstein's own explanation of his theories for general readers, requiring little more than school mathematics.",
    priceCents: 999,
    stock: 21,
  },
  {
    title: "Principles of Geology",
    author: "Charles Lyell",
    publishedYear: 1830,
    genre: "Science",
    description:
      "Lyell argues that the earth was shaped by slow processes still at work today, a book Darwin carried on the Beagle.",
    priceCents: 1599,
    stock: 4,
  },
  {
    title: "Flatland: A Romance of Many Dimensions",
    author: "Edwin A. Abbott",
    publishedYear: 1884,
    genre: "Science Fiction",
    description:
      "A square living in a two-dimensional world is visited by a sphere, and a satire of Victorian class turns into a lesson in geometry.",
    priceCents: 599,
    stock: 14,
  },
  {
    title: "Carmilla",
    author: "Sheridan Le Fanu",
    publishedYear: 1872,
    genre: "Horror",
    description:
      "A lonely young woman in a Styrian castle befriends a mysterious guest whose arrival coincides with a wasting illness in the district.",
    priceCents: 549,
    stock: 15,
  },
  {
    title: "The Great God Pan",
    author: "Arthur Machen",
    publishedYear: 1894,
    genre: "Horror",
    description:
      "A doctor's experiment to let a girl see the god Pan has horrifying consequences that echo through London society years later.",
    priceCents: 549,
    stock: 6,
  },
  {
    title: "Ghost Stories of an Antiquary",
    author: "M. R. James",
    publishedYear: 1904,
    genre: "Horror",
    description:
      "Scholarly gentlemen stumble on old manuscripts, whistles and church treasures that awaken very unfriendly presences.",
    priceCents: 749,
    stock: 10,
  },
  {
    title: "The Call of Cthulhu",
    author: "H. P. Lovecraft",
    publishedYear: 1928,
    genre: "Horror",
    description:
      "A man sorting his late uncle's papers uncovers a worldwide cult devoted to a monstrous being asleep beneath the Pacific.",
    priceCents: 499,
    stock: 20,
  },
  {
    title: "Phantastes",
    author: "George MacDonald",
    publishedYear: 1858,
    genre: "Fantasy",
    description:
      "A young man wakes to find his bedroom turning into a forest and wanders through Fairy Land in search of an ideal beauty.",
    priceCents: 849,
    stock: 5,
  },
  {
    title: "The Princess and the Goblin",
    author: "George MacDonald",
    publishedYear: 1872,
    genre: "Fantasy",
    description:
      "Princess Irene and the miner boy Curdie uncover a goblin plot in the mountains, aided by a mysterious great-great-grandmother.",
    priceCents: 749,
    stock: 11,
  },
  {
    title: "The King of Elfland's Daughter",
    author: "Lord Dunsany",
    publishedYear: 1924,
    genre: "Fantasy",
    description:
      "The lord of a small village marries a princess from Elfland, and the borders between the enchanted and mortal worlds shift.",
    priceCents: 999,
    stock: 7,
  },
  {
    title: "The Worm Ouroboros",
    author: "E. R. Eddison",
    publishedYear: 1922,
    genre: "Fantasy",
    description:
      "The lords of Demonland wage a grand, ornate war against the sorcerer-king of Witchland on a fantastical version of Mercury.",
    priceCents: 1249,
    stock: 0,
  },
  {
    title: "The Thirty-Nine Steps",
    author: "John Buchan",
    publishedYear: 1915,
    genre: "Adventure",
    description:
      "Richard Hannay finds a murdered spy in his London flat and flees across the Scottish moors pursued by police and enemy agents.",
    priceCents: 749,
    stock: 18,
  },
  {
    title: "The Riddle of the Sands",
    author: "Erskine Childers",
    publishedYear: 1903,
    genre: "Mystery",
    description:
      "Two young Englishmen sailing the shallow Frisian coast stumble on evidence of secret German preparations for an invasion.",
    priceCents: 899,
    stock: 6,
  },
  {
    title: "Arsène Lupin, Gentleman-Burglar",
    author: "Maurice Leblanc",
    publishedYear: 1907,
    genre: "Mystery",
    description:
      "The charming master thief Arsène Lupin outwits police, victims and even Herlock Sholmes in a series of elegant capers.",
    priceCents: 849,
    stock: 14,
  },
  {
    title: "The Scarlet Pimpernel",
    author: "Baroness Orczy",
    publishedYear: 1905,
    genre: "Adventure",
    description:
      "A foppish English baronet secretly leads a band that rescues French aristocrats from the guillotine during the Terror.",
    priceCents: 899,
    stock: 17,
  },
  {
    title: "Ivanhoe",
    author: "Walter Scott",
    publishedYear: 1819,
    genre: "History",
    description:
      "A disinherited Saxon knight returns from the Crusades to an England torn between Normans and Saxons, tournaments and outlaws.",
    priceCents: 1199,
    stock: 10,
  },
  {
    title: "The Last of the Mohicans",
    author: "James Fenimore Cooper",
    publishedYear: 1826,
    genre: "Adventure",
    description:
      "During the French and Indian War, the scout Hawkeye and his Mohican companions guide two sisters through hostile wilderness.",
    priceCents: 999,
    stock: 12,
  },
  {
    title: "Uncle Tom's Cabin",
    author: "Harriet Beecher Stowe",
    publishedYear: 1852,
    genre: "Classics",
    description:
      "The intertwined fates of enslaved people sold south and those fleeing north stirred American opinion against slavery.",
    priceCents: 1149,
    stock: 15,
  },
  {
    title: "The Red Badge of Courage",
    author: "Stephen Crane",
    publishedYear: 1895,
    genre: "Fiction",
    description:
      "A young Union soldier flees his first battle in panic and struggles to prove his courage to himself amid the chaos of war.",
    priceCents: 699,
    stock: 13,
  },
  {
    title: "The Awakening",
    author: "Kate Chopin",
    publishedYear: 1899,
    genre: "Fiction",
    description:
      "During a Gulf Coast summer, Edna Pontellier awakens to desires and ambitions that her marriage and society cannot contain.",
    priceCents: 749,
    stock: 16,
  },
  {
    title: "Candide",
    author: "Voltaire",
    publishedYear: 1759,
    genre: "Philosophy",
    description:
      "An optimistic young man suffers war, earthquake and betrayal across the world while his tutor insists this is the best of all possible worlds.",
    priceCents: 649,
    stock: 24,
  },
  {
    title: "Essays",
    author: "Michel de Montaigne",
    publishedYear: 1580,
    genre: "Essays",
    description:
      "Montaigne examines himself on every subject from friendship and cannibals to sleep and death, inventing the personal essay.",
    priceCents: 1699,
    stock: 8,
  },
  {
    title: "Essays",
    author: "Francis Bacon",
    publishedYear: 1597,
    genre: "Essays",
    description:
      "Short, aphoristic reflections on truth, revenge, studies, ambition and the conduct of public and private life.",
    priceCents: 799,
    stock: 7,
  },
  {
    title: "Essays of Elia",
    author: "Charles Lamb",
    publishedYear: 1823,
    genre: "Essays",
    description:
      "Whimsical, affectionate essays on roast pig, old china, chimney sweeps and the ordinary pleasures of London life.",
    priceCents: 849,
    stock: 0,
  },
  {
    title: "Songs of Innocence and of Experience",
    author: "William Blake",
    publishedYear: 1794,
    genre: "Poetry",
    description:
      "Blake's paired poems contrast childlike wonder with the darker realities of adult society, including The Tyger and The Lamb.",
    priceCents: 899,
    stock: 14,
  },
  {
    title: "Lyrical Ballads",
    author: "William Wordsworth and Samuel Taylor Coleridge",
    publishedYear: 1798,
    genre: "Poetry",
    description:
      "The joint collection that launched English Romanticism, opening with The Rime of the Ancient Mariner and closing with Tintern Abbey.",
    priceCents: 949,
    stock: 9,
  },
  {
    title: "Philosophiæ Naturalis Principia Mathematica",
    author: "Isaac Newton",
    publishedYear: 1687,
    genre: "Science",
    description:
      "Newton lays out his laws of motion and universal gravitation, explaining the orbits of planets and the fall of an apple alike.",
    priceCents: 2999,
    stock: 2,
  },
  {
    title: "Experiments and Observations on Electricity",
    author: "Benjamin Franklin",
    publishedYear: 1751,
    genre: "Science",
    description:
      "Franklin's letters describing his experiments with Leyden jars and lightning, and his case that lightning is electrical.",
    priceCents: 1099,
    stock: 0,
  },
  {
    title: "The Man Who Would Be King",
    author: "Rudyard Kipling",
    publishedYear: 1888,
    genre: "Adventure",
    description:
      "Two rogue ex-soldiers set out to make themselves kings of remote Kafiristan, and briefly succeed beyond their wildest hopes.",
    priceCents: 499,
    stock: 11,
  },
  {
    title: "The Monkey's Paw",
    author: "W. W. Jacobs",
    publishedYear: 1902,
    genre: "Horror",
    description:
      "A family is given a shrivelled paw that grants three wishes, and learns too late that every wish carries a terrible price.",
    priceCents: 349,
    stock: 22,
  },
  {
    title: "Sylvie and Bruno",
    author: "Lewis Carroll",
    publishedYear: 1889,
    genre: "Fantasy",
    description:
      "A narrator drifts between Victorian England and a fairy realm where two royal children help restore their exiled father.",
    priceCents: 899,
    stock: 0,
  },
  {
    title: "Twelfth Night",
    author: "William Shakespeare",
    publishedYear: 1623,
    genre: "Drama",
    description:
      "Shipwrecked Viola disguises herself as a young man and is caught in a comic love triangle with a duke and a countess.",
    priceCents: 599,
    stock: 20,
  },
  {
    title: "An Ideal Husband",
    author: "Oscar Wilde",
    publishedYear: 1899,
    genre: "Drama",
    description:
      "A rising politician's career is threatened when a clever adventuress arrives in London with proof of an old scandal.",
    priceCents: 599,
    stock: 8,
  },
  {
    title: "The Jewel of Seven Stars",
    author: "Bram Stoker",
    publishedYear: 1903,
    genre: "Horror",
    description:
      "An Egyptologist falls into a mysterious trance while his daughter and her admirer prepare to revive an ancient queen.",
    priceCents: 799,
    stock: 4,
  },
  {
    title: "Thoughts on the Education of Daughters",
    author: "Mary Wollstonecraft",
    publishedYear: 1787,
    genre: "Essays",
    description:
      "Wollstonecraft's first book offers practical advice on raising girls to be thoughtful, capable and independent women.",
    priceCents: 599,
    stock: 5,
  },
];
