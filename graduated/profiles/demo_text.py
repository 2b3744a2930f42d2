"""Sentences for the demo's one-page profiles, in the child's voice, by age band and type of need.

Made up for the demo: any likeness to a real child is chance.
"""

# Age bands: "early" (early years), "primary", "secondary", "post16".

LIKED = {
    "early": [
        "I have a big smile and I give the best cuddles.",
        "I am curious and I want to explore everything in the garden.",
        "I am gentle with the nursery guinea pigs.",
        "I love to sing and I know all the words to the tidy-up song.",
        "I am a good helper at snack time.",
        "My key person says I am brave when I try new things.",
    ],
    "primary": [
        "People say I am kind and I notice when someone is sad.",
        "I make people laugh with my jokes.",
        "I am a good friend and I let others join in.",
        "I keep trying, even when things are tricky.",
        "I know loads of facts about animals, especially sharks.",
        "I am helpful: I like giving out the books and tidying up.",
        "My family say I am brave and I never give up.",
        "I am creative and I always have lots of ideas.",
        "I am honest and I tell an adult when something is wrong.",
        "I am really good with the Reception children at lunchtime.",
        "I am brilliant at building things.",
        "My teacher says I have a great memory for stories.",
    ],
    "secondary": [
        "Teachers say I am polite and I come to lessons ready to learn.",
        "I am good at fixing things and working out how they work.",
        "I am loyal to my friends and they trust me.",
        "I have a good sense of humour and I can laugh at myself.",
        "I am calm and patient with younger students.",
        "I am a talented artist.",
        "I work hard in PE and I am good at football.",
        "I am thoughtful and I ask good questions.",
    ],
    "post16": [
        "Staff say I am reliable and I always turn up on time.",
        "I am friendly and I help new students find their way around.",
        "I am hard-working on my work placement.",
        "People say I am easy to talk to and a good listener.",
        "I am a good cook and I like making food for other people.",
        "I am determined: I passed my English after three tries.",
    ],
}

IMPORTANT = {
    "early": [
        "My mummy and my teddy, Bear.",
        "Playing in the sand and the water tray.",
        "Songs at carpet time.",
        "Having my snack at the same time every day.",
        "The red bike in the garden.",
        "My big brother, who picks me up on Fridays.",
        "My blanket at sleep time.",
    ],
    "primary": [
        "I like Lego and drawing dragons.",
        "My dog, Biscuit, and my little sister.",
        "Playing football at lunchtime with my friends.",
        "Knowing what is happening next in the day.",
        "Minecraft and building things.",
        "Going swimming with my dad on Saturdays.",
        "My nan, who picks me up on Wednesdays.",
        "Having my water bottle with me.",
        "Dinosaurs, especially the T. rex.",
        "Reading comics about superheroes.",
        "Being the one who feeds the class fish.",
        "My cousins, who I see every weekend.",
        "Gymnastics club on Tuesdays.",
    ],
    "secondary": [
        "Gaming online with my friends in the evening.",
        "Music: I play the drums and listening to music calms me down.",
        "I want to be a mechanic like my uncle.",
        "Being treated the same as everyone else.",
        "Not being singled out in front of the class.",
        "Art club on Thursdays.",
        "My grandad, who I help with his allotment.",
        "Having my own space at home to do homework.",
        "Boxing training three nights a week.",
    ],
    "post16": [
        "Getting a job in catering.",
        "Travelling to college on my own by bus.",
        "Seeing my friends at the youth club.",
        "Earning my own money.",
        "Learning to cook meals I like.",
        "My family, and being trusted to make my own choices.",
        "Passing my driving theory test.",
    ],
}

SUPPORT_BY_NEED = {
    "SLCN": [
        "Use short sentences and give me time to answer.",
        "Show me pictures or write down the key words.",
        "Check I have understood by asking me to tell you back in my own words.",
        "Teach me new words before the lesson.",
    ],
    "ASD": [
        "Tell me before things change and show me on my visual timetable.",
        "Let me wear my ear defenders when it is noisy.",
        "Give me a quiet place to go when I feel overwhelmed.",
        "Say my name before you give me an instruction.",
        "Give me clear instructions, one at a time.",
    ],
    "SEMH": [
        "Meet me at the door in the morning with a smile.",
        "If I am upset, give me some space and talk to me later.",
        "Let me use my time-out card without having to ask.",
        "Praise me quietly, not in front of everyone.",
        "Give me a job to do when I am anxious.",
    ],
    "SPLD": [
        "Give me printed notes so I do not have to copy from the board.",
        "Let me use coloured overlays and a laptop for long writing.",
        "Do not ask me to read aloud without warning me first.",
        "Break tasks into small steps and give me a checklist.",
    ],
    "MLD": [
        "Show me how to do it, then let me try with you nearby.",
        "Let me use counters and number lines in maths.",
        "Go over new words with me before the lesson.",
        "Give me extra time to finish my work.",
    ],
    "SLD": [
        "Use Makaton signs with your words.",
        "Use objects of reference to show me what is next.",
        "Give me plenty of time to respond.",
    ],
    "PMLD": [
        "Use objects of reference to show me what is next.",
        "Watch my face and my hands: that is how I tell you things.",
        "Change my position every so often so I am comfortable.",
    ],
    "DS": [
        "Use pictures and signs as well as words.",
        "Give me short tasks and a break between them.",
        "Let me show you what I know by pointing or choosing.",
    ],
    "VI": [
        "Give me large-print worksheets.",
        "Seat me near the front, away from the glare of the window.",
        "Tell me who you are when you speak to me.",
    ],
    "HI": [
        "Face me when you talk so I can see your lips.",
        "Use my radio aid and check it is working.",
        "Repeat what other people say in class discussions.",
    ],
    "MSI": [
        "Touch my arm gently before you speak to me.",
        "Keep things where they always are so I can find them.",
        "Give me time to explore new things with my hands.",
    ],
    "PD": [
        "Give me extra time to move between lessons.",
        "Let me use my writing slope and pencil grip.",
        "Plan PE with me so I can join in safely.",
    ],
}

SUPPORT_GENERAL = {
    "early": [
        "Get down to my level and use simple words.",
        "Give me a warning before tidy-up time, with the sand timer.",
        "Show me what to do, as well as telling me.",
    ],
    "primary": [
        "Check in with me at the start of each lesson.",
        "Give me jobs to do so I can move about.",
        "Write my homework in my planner with me.",
        "Let me sit next to a friend who helps me.",
    ],
    "secondary": [
        "Do not make a big deal of it in front of other students.",
        "Email me reminders about deadlines.",
        "Let me leave a few minutes early to avoid the crowded corridors.",
    ],
    "post16": [
        "Talk to me, not just to my mum, about my plans.",
        "Help me practise for interviews.",
        "Remind me about my timetable the day before a change.",
    ],
}

OTHER_CONTRIBUTORS = [
    "Speech and language therapist",
    "Educational psychologist",
    "Grandma",
    "Occupational therapist",
    "Family support worker",
]
