"""Invented first and last names for demo pupils, reflecting the mix of names in English schools.

Any resemblance to a real child is a coincidence: names are combined at random.
"""

FEMALE_FIRST_NAMES = [
    "Abigail", "Adaeze", "Aisha", "Amara", "Amelia", "Ananya", "Ava", "Ayesha", "Bethany",
    "Chloe", "Darcey", "Elizabeth", "Erin", "Esme", "Evie", "Fatima", "Ffion", "Freya",
    "Grace", "Hafsa", "Hana", "Harper", "Imani", "Isabella", "Isla", "Ivy", "Jasmine",
    "Katherine", "Kiran", "Layla", "Lily", "Maisie", "Maryam", "Maya", "Mei", "Mia",
    "Niamh", "Nia", "Olivia", "Oliwia", "Phoebe", "Poppy", "Precious", "Priya", "Rosa",
    "Ruby", "Safiya", "Scarlett", "Sienna", "Sofia", "Tallulah", "Willow", "Yasmin",
    "Zainab", "Zara", "Zofia",
]  # fmt: skip

MALE_FIRST_NAMES = [
    "Aarav", "Adam", "Alexander", "Alfie", "Archie", "Arjun", "Arthur", "Benjamin", "Bilal",
    "Caleb", "Callum", "Chidi", "Ciaran", "Connor", "Daniel", "Dev", "Elijah", "Ethan",
    "Ezra", "Finley", "George", "Hamza", "Harvey", "Ibrahim", "Idris", "Jack", "Jakub",
    "Jayden", "Joseph", "Kai", "Kofi", "Kwame", "Leo", "Lewis", "Luca", "Mason", "Mateusz",
    "Muhammad", "Noah", "Oliver", "Omar", "Oscar", "Reggie", "Reuben", "Rhys", "Rohan",
    "Samuel", "Theo", "Thomas", "Tobi", "Tomasz", "Tyler", "Yusuf", "Zain",
]  # fmt: skip

LAST_NAMES = [
    "Abdi", "Adeyemi", "Ahmed", "Ali", "Allen", "Bains", "Baker", "Barker", "Bennett",
    "Booth", "Brown", "Byrne", "Campbell", "Chapman", "Chen", "Chowdhury", "Clarke",
    "Cooper", "Costa", "Davies", "Demir", "Dixon", "Doyle", "Edwards", "Evans", "Farah",
    "Ferreira", "Fletcher", "Fox", "Gill", "Gray", "Green", "Hall", "Harris", "Harrison",
    "Hassan", "Henderson", "Hill", "Holt", "Hughes", "Hussain", "Ibrahim", "Iqbal",
    "Jackson", "Jenkins", "Johnson", "Jones", "Joshi", "Kelly", "Khan", "King", "Lewis",
    "Lloyd", "Mahmood", "Marsh", "Martin", "McDonald", "Mensah", "Mistry", "Mitchell",
    "Mohamed", "Moore", "Morgan", "Morris", "Murphy", "Nguyen", "Nowak", "O'Brien",
    "Okafor", "Osei", "Owusu", "Patel", "Pearson", "Pereira", "Powell", "Price", "Quinn",
    "Rahman", "Rees", "Reid", "Roberts", "Robinson", "Rossi", "Sandhu", "Santos", "Scott",
    "Shah", "Sharma", "Shaw", "Silva", "Singh", "Smith", "Taylor", "Thomas", "Thompson",
    "Turner", "Walker", "Ward", "Warsame", "Watson", "White", "Williams", "Wilson", "Wong",
    "Wood", "Wright", "Yilmaz", "Young",
]  # fmt: skip

# Some children are known by a shorter name; the record keeps both.
PREFERRED_FORMS = {
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Daniel": "Dan",
    "Elizabeth": "Libby",
    "Isabella": "Bella",
    "Joseph": "Joe",
    "Katherine": "Kate",
    "Samuel": "Sam",
    "Thomas": "Tom",
}
