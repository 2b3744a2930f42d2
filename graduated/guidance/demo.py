"""Guidance for the demo LAs, Northshire and Southborough: a page for every topic, written for the
demo in plain English from what the SEND Code of Practice 2015 says (assess, plan, do, review; SEN
support; the EHC needs assessment; the four broad areas of need; parents' rights). Each LA's words
come from its rule pack ("Graduated Approach", "district hub"). Northshire's page for schools has
two published versions; public at /guidance/northshire/ and /guidance/southborough/.

Deterministic, and idempotent: an LA that already has a guidance site is left alone. Everything goes
through the services, as the LA's admin would type it.
"""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.guidance import services
from graduated.guidance.models import GuidanceSite, Topic, audience_for
from graduated.organisations.models import LocalAuthority, Membership, Role

FIRST_PUBLISHED = date(2025, 9, 1)
REVISED = date(2026, 1, 5)

LAS: dict[str, dict[str, str]] = {
    "Northshire": {
        "slug": "northshire", "response": "Graduated Approach", "hub": "inclusion hub",
        "evidence": "two terms of evidenced interventions, a person-centred planning meeting and a My Support Plan",
        "panel": "the Northshire SEND panel", "email": "send.team@northshire.example.org",
        "iass": "Northshire SENDIASS", "iass_email": "sendiass@northshire.example.org",
    },
    "Southborough": {
        "slug": "southborough", "response": "Graduated Response", "hub": "district hub",
        "evidence": "at least two completed APDR cycles, reviewed, before a referral to the district hub",
        "panel": "the Southborough assessment panel", "email": "send@southborough.example.org",
        "iass": "Southborough SENDIASS", "iass_email": "iass@southborough.example.org",
    },
}  # fmt: skip

APDR = """### Assess
Bring together what you know: the teacher's assessment, progress over time, comparison with peers, \
the views of the child and their parents, and any advice from specialists.

### Plan
Agree with the parents and the child three or four clear outcomes, the support that will help, \
who gives it and how often, and a date to review it.

### Do
The class teacher or key person stays responsible for the child every day, including when support \
happens away from the class. Record what was delivered.

### Review
On the agreed date, look at the difference the support made, with the parents and the child. \
What you learn starts the next cycle."""

PAGES: list[tuple[str, str, str, str]] = [
    (Topic.RESPONSE_EARLY_YEARS, "early-years", "The {response} in early years settings", """\
Every child in an early years setting is entitled to high-quality, inclusive practice. When a child \
is not making the progress you would expect for their age, the {response} helps you find out why and \
what will help.

## Noticing a concern
The child's **key person** is usually the first to notice. Talk with the child's parents early, look at \
the progress check at age two if there is one, and note what you have seen in play and routines.

## Assess, plan, do, review
{apdr}

## Who to involve
- your setting's SENCO (most settings name one, even where it is not required)
- the early years inclusion team at the {hub}
- health visitors and speech and language therapy, with the parents' agreement

If a child needs more help than your setting can give from its own resources, see \
[Funding and how to apply for resources](/guidance/{slug}/funding/)."""),
    (Topic.RESPONSE_SCHOOLS, "schools", "The {response} in schools", """\
The {response} is how schools in {la} identify and meet special educational needs. It starts with \
high-quality teaching for every pupil and adds support in cycles, each more detailed than the last.

## Quality first teaching
Adapt your teaching for every pupil. Most pupils who find learning harder make progress with good \
adjustments in class, and no pupil needs a label to get them.

## SEN support
When a pupil makes less progress than expected, despite good teaching, the class teacher and the SENCO \
decide together whether the pupil has special educational needs. If so, the school puts **SEN support** \
in place, tells the parents, and records the pupil on its SEN register.

## Assess, plan, do, review
{apdr}

## When to ask for more help
If a pupil continues to make little or no progress, involve specialists such as an educational \
psychologist or a specialist teacher. Before asking for an EHC needs assessment, {la} looks for \
{evidence}. This is local guidance: a parent, a young person or the school may always ask."""),
    (Topic.RESPONSE_POST_16, "post-16", "The {response} in post-16 settings", """\
Sixth forms and colleges follow the same cycle of assess, plan, do and review, with the **student** at \
the centre. From 16 a young person makes their own decisions and agrees their own plan.

## At entry
Ask every student whether they have a learning need, a disability or a medical condition, and read what \
their school has passed on.

## Support on a study programme
- agree outcomes that lead to the student's goals: further study, an apprenticeship, work or independent living
- name the person who co-ordinates support for students with SEND
- review the plan with the student at least three times a year

## Moving from school to college
Start planning transition in Year 10 or 11. Share the student's plan, with their agreement, so that \
support does not stop over the summer."""),
    (Topic.ROLE_TEACHERS, "teachers", "What we expect of teachers", """\
Every teacher is a teacher of pupils with special educational needs.

- You are responsible for the progress of every pupil in your class, including when a teaching \
assistant or an intervention is involved.
- Adapt your teaching so that all pupils can take part and learn.
- Notice when a pupil is making less progress than expected, and talk to the SENCO.
- Carry out the assess, plan, do and review cycle with the SENCO, and meet the parents.
- Know each pupil's outcomes and the strategies agreed for them."""),
    (Topic.ROLE_ALL_STAFF, "all-staff", "What we expect of all staff", """\
Everyone who works in a setting helps children with special educational needs to feel safe and to belong.

- Know which pupils have SEN support or an EHC plan, and what helps them.
- Use the agreed strategies consistently: at lunchtime, in corridors and on trips as well as in lessons.
- Tell the class teacher or the SENCO what you notice.
- Keep information about a child's needs confidential and share it only with people who need it."""),
    (Topic.ROLE_SUPPORT_STAFF, "adults-supporting-learning", "What we expect of adults supporting learning", """\
Teaching assistants and other adults who support learning make a real difference when their work is \
planned with the teacher.

- Know each pupil's outcomes and targets.
- Deliver interventions as planned: how often, for how long and in what group size.
- Record each session, including when one is missed and why.
- Help pupils to become independent rather than relying on an adult.
- Tell the teacher what is working and what is not."""),
    (Topic.ROLE_SENCOS, "sencos", "What we expect of SENCOs", """\
The SENCO leads the setting's work for pupils with special educational needs, day to day.

- Co-ordinate support and interventions, and check their impact.
- Advise and support colleagues, and arrange training.
- Meet parents, and make sure their views are heard and recorded.
- Keep the SEN register and records up to date.
- Work with specialists and with the {la} SEND team, and act as the setting's point of contact.
- Advise leaders on how the SEN budget is used.

In a maintained school the SENCO must be a qualified teacher."""),
    (Topic.FUNDING, "funding", "Funding and how to apply for resources", """\
## What schools pay for
Schools meet the first **£6,000** of additional support for a pupil with SEN from their own notional \
SEN budget. A costed provision map shows when support for a pupil goes beyond that.

## Top-up funding
When a pupil needs support costing more than that, the school may apply to {la} for top-up funding \
from the high-needs budget. Send:

1. the pupil's current plan and its last two reviews
2. a costed provision map
3. advice from any specialists involved

## Early years
Every local authority has an SEN inclusion fund for early years settings. A child who receives \
Disability Living Allowance may be eligible for the Disability Access Fund, paid to the setting once a year.

Questions: [{email}](mailto:{email})"""),
    (Topic.RECORD_KEEPING, "record-keeping", "Record-keeping", """\
Each setting chooses how it keeps SEN records, but the records should show:

- the pupil's needs and how they were identified
- the outcomes agreed, the support put in place and who gave it
- the impact of that support, at each review
- the views of the pupil and their parents, and what was agreed at each meeting

Share the record with parents. Records about special educational needs are sensitive personal \
information: keep them secure and share them only with people who need to know."""),
    (Topic.WORKING_WITH_PARENTS, "working-with-parents", "Working with parents and carers", """\
Parents know their child best. Work with them from the first concern.

- Tell parents when you first make special educational provision for their child.
- Meet parents at least **three times a year** to set outcomes and review progress.
- Record what was agreed and give parents a copy.
- Listen to parents' concerns and take them seriously.
- Tell parents about {iass}, which gives free, impartial advice."""),
    (Topic.GLOSSARY, "glossary", "Glossary", """\
**APDR**: assess, plan, do, review, the cycle of SEN support.

**EHC plan**: an education, health and care plan, a legal document for a child or young person whose \
needs cannot be met through SEN support alone.

**SENCO**: the special educational needs co-ordinator.

**SEN support**: extra or different help given by a setting from its own resources.

**SENDIASS**: the local SEND information, advice and support service for parents and young people.

**The four broad areas of need**: communication and interaction; cognition and learning; social, \
emotional and mental health; sensory and/or physical."""),
    (Topic.KEY_CONTACTS, "key-contacts", "Key contacts", """\
## SEND team
E-mail [{email}](mailto:{email}) for advice about a pupil, top-up funding or a request for an EHC \
needs assessment.

## {iass}
Free, impartial advice for parents and young people: [{iass_email}](mailto:{iass_email}).

## The {hub}
Specialist teachers and educational psychologists who advise settings. Ask through your SENCO."""),
    (Topic.CODE_OF_PRACTICE, "code-of-practice", "Summary of the SEND Code of Practice", """\
The SEND Code of Practice (2015) is statutory guidance for everyone who works with children and young \
people with special educational needs and disabilities, from birth to 25.

## Its principles
- the views, wishes and feelings of children, young people and their parents come first
- early identification of needs, and early help
- high-quality provision, so that children achieve their best and become confident young adults

## SEN support
Settings identify needs and put support in place through cycles of assess, plan, do and review.

## EHC needs assessment
A parent, a young person aged 16 to 25, or a school or college may ask the local authority to assess. \
The local authority must decide within **6 weeks** whether to assess, and the whole process, to a final \
EHC plan, should take no more than **20 weeks**.

## Parents' rights
Parents and young people may appeal to the tribunal against a decision not to assess, not to issue a \
plan, or about what a plan says. Mediation and advice must be offered."""),
    (Topic.FAMILIES_UNDERSTANDING, "understanding-the-graduated-response", "Understanding the {response}", """\
If your child finds learning harder than other children of their age, their school, nursery or college \
will follow the {response}. This page explains what that means for you.

## What happens
1. Your child's teacher notices that they need more help and talks to you.
2. Together with the SENCO you agree what your child needs, what will help, and when you will look again.
3. The support is given, usually in class and sometimes in small groups.
4. You meet to see what difference it made, and decide what comes next.

This is called **assess, plan, do, review**. It can happen several times, with more help each time.

## Your part
You should be asked what you think at every stage, and you should meet the school about three times \
a year. Your child's views matter too.

## If you are worried
Talk to the class teacher or the SENCO first. You can ask for free, impartial advice from \
{iass}: [{iass_email}](mailto:{iass_email}). You can also ask {la} for an EHC needs assessment yourself."""),
    (Topic.FAMILIES_SEN_SUPPORT, "what-sen-support-may-be-given", "What SEN support your child may be given", """\
SEN support is extra or different help that your child's setting gives from its own resources. It \
depends on your child's needs, which usually fall into one or more of four areas.

## Communication and interaction
Help with speaking, understanding and social communication: visual timetables, small-group language \
work, advice from speech and language therapy.

## Cognition and learning
Help with reading, writing, number and memory: adapted work, short daily interventions, extra practice.

## Social, emotional and mental health
Help with feelings and behaviour: a trusted adult, a quiet space, a plan for difficult times of the day.

## Sensory and/or physical
Help with hearing, sight or movement: equipment, seating, adapted materials, advice from specialists.

Ask the SENCO to show you your child's plan. It should say what support is given, by whom and how often."""),
]  # fmt: skip

# Northshire's page for schools in force from the new year: the same page with local evidence rules explained.
NORTHSHIRE_SCHOOLS_UPDATE = """

## Meetings with parents
From January 2026 {la} asks schools to record at least three meetings with parents a year before a \
request for an EHC needs assessment. The SEND Code of Practice expects this of every school."""


def _admin(la: LocalAuthority) -> Actor:
    admin = Membership.objects.filter(local_authority=la, role=Role.LA_ADMIN).select_related("user").order_by("id")
    first = admin.first()
    return Actor(user=first.user if first else None, role=Role.LA_ADMIN, local_authority_id=la.pk)


def _words(la: LocalAuthority, words: dict[str, str]) -> dict[str, Any]:
    return {**words, "la": la.name, "apdr": APDR}


def load_demo_data() -> dict[str, int]:
    versions = 0
    for name, words in LAS.items():
        la = LocalAuthority.objects.filter(name=name).order_by("id").first()
        if la is None or GuidanceSite.objects.filter(local_authority=la).exists():
            continue
        actor = _admin(la)
        values = _words(la, words)
        services.save_site(
            actor=actor, local_authority=la, slug=words["slug"], title=f"{name} SEND guidance",
            intro=f"How settings in {name} support children and young people with special educational needs, "
            f"and what families can expect. The {words['response']}, step by step.",
            expected_version=0,
        )  # fmt: skip
        for topic, slug, title, body in PAGES:
            draft = services.create_page(
                actor=actor, local_authority=la, topic=topic, audience=audience_for(topic), slug=slug,
                title=title.format(**values), body=body.format(**values),
            )  # fmt: skip
            published = services.publish(
                actor=actor, version=draft, effective_from=FIRST_PUBLISHED, change_note="First published.",
                expected_version=draft.version,
            )  # fmt: skip
            versions += 1
            if name == "Northshire" and topic == Topic.RESPONSE_SCHOOLS:
                second, _ = services.start_draft(actor=actor, page=published.page)
                second = services.save_draft(
                    actor=actor, version=second, title=second.title,
                    body=second.body + NORTHSHIRE_SCHOOLS_UPDATE.format(**values),
                    change_note="Added meetings with parents.", expected_version=second.version,
                )  # fmt: skip
                services.publish(actor=actor, version=second, effective_from=REVISED, change_note="",
                                 expected_version=second.version)  # fmt: skip
                versions += 1
    return {"guidance page versions": versions}
