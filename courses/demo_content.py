"""The demo catalogue's courses: short, real teaching for civil servants.

Each course: what it builds (DDaT skill names as published in the framework, with a level),
its audience professions (civil service profession names), lessons as StreamField blocks, and
an assessment. Kept as data so `courses.demo` stays short.
"""


def p(*paragraphs):
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}


def ul(intro, items):
    lis = "".join(f"<li>{item}</li>" for item in items)
    return {"type": "paragraph", "value": f"<p>{intro}</p><ul>{lis}</ul>"}


def h(text, size="h2"):
    return {"type": "heading", "value": {"text": text, "size": size}}


def inset(text):
    return {"type": "inset_text", "value": f"<p>{text}</p>"}


def warn(text):
    return {"type": "warning_text", "value": text}


def details(summary, text):
    return {"type": "details", "value": {"summary": summary, "content": f"<p>{text}</p>"}}


def code(language, caption, source):
    return {"type": "code", "value": {"language": language, "caption": caption, "code": source}}


def check(question, options, *, multiple=False, hint=""):
    """options: [(text, correct, feedback)]"""
    return {
        "type": "knowledge_check",
        "value": {
            "question": question,
            "hint": hint,
            "multiple": multiple,
            "options": [
                {"text": text, "correct": correct, "feedback": feedback}
                for text, correct, feedback in options
            ],
        },
    }


def q(question, options, *, multiple=False):
    """An assessment question. options: [(text, correct)]"""
    return {
        "type": "question",
        "value": {
            "question": question,
            "hint": "Select all that apply." if multiple else "",
            "multiple": multiple,
            "options": [
                {"text": text, "correct": correct, "feedback": ""} for text, correct in options
            ],
        },
    }


COURSES = [
    {
        "slug": "data-ethics-in-government",
        "title": "Data ethics in government",
        "summary": (
            "Use the Data and AI Ethics Framework to decide whether and how to use data in a "
            "project, and explain your decisions openly."
        ),
        "outcomes": [
            "explain the principles of transparency, accountability and fairness",
            "recognise when a project needs a data protection impact assessment",
            "use the Data and AI Ethics Framework questions with your team",
        ],
        "audience": "Anyone who designs, commissions or runs a service or policy that uses data.",
        "professions": ["Digital", "Analysis", "Operational delivery"],
        "duration": 45,
        "format": "self-paced",
        "level": 2,
        "skills": [("Data ethics and privacy", 2), ("Data governance", 1)],
        "lessons": [
            (
                "Why data ethics matters",
                "What can go wrong when public bodies use data, and why trust matters.",
                [
                    p(
                        "Government holds data about almost everyone in the country. People "
                        "often cannot opt out of public services, so they have to trust that "
                        "their data is used lawfully, fairly and for the purpose it was "
                        "collected for.",
                        "Data ethics is about the decisions you make beyond the legal "
                        "minimum: whether you <em>should</em> do something with data, not "
                        "only whether you <em>can</em>.",
                    ),
                    h("Three principles"),
                    ul(
                        "The Data and AI Ethics Framework asks teams to show three "
                        "overarching principles throughout a project:",
                        [
                            "<strong>transparency</strong>: your actions, processes and data "
                            "are open to inspection",
                            "<strong>accountability</strong>: there are effective governance "
                            "and oversight mechanisms, and someone answers for decisions",
                            "<strong>fairness</strong>: the project does not produce unjust "
                            "or discriminatory outcomes for individuals or groups",
                        ],
                    ),
                    inset(
                        "A model that is accurate on average can still be unfair: check how "
                        "it performs for different groups, not only overall."
                    ),
                    check(
                        "A team wants to reuse benefits data to target a new campaign. "
                        "Which question is about ethics rather than the law alone?",
                        [
                            (
                                "Would the people in the data reasonably expect this use?",
                                True,
                                "Right: reasonable expectations go beyond what is lawful.",
                            ),
                            (
                                "Is the data stored on an approved system?",
                                False,
                                "That is a security requirement, not an ethical judgement.",
                            ),
                            (
                                "How many rows does the data set have?",
                                False,
                                "Size matters for analysis, but it is not an ethical question.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "The law: UK GDPR and the Data Protection Act 2018",
                "The legal baseline every project must meet.",
                [
                    p(
                        "Processing personal data in the UK is governed by the UK General "
                        "Data Protection Regulation (UK GDPR) and the Data Protection Act "
                        "2018. Public bodies usually rely on the lawful basis of a "
                        "<em>public task</em>: processing necessary to perform a task in the "
                        "public interest or an official function set out in law."
                    ),
                    ul(
                        "The data protection principles say personal data must be:",
                        [
                            "processed lawfully, fairly and transparently",
                            "collected for specified, explicit and legitimate purposes",
                            "adequate, relevant and limited to what is necessary "
                            "(data minimisation)",
                            "accurate and kept up to date",
                            "kept no longer than necessary",
                            "kept secure",
                        ],
                    ),
                    h("Data protection impact assessments"),
                    p(
                        "You must complete a data protection impact assessment (DPIA) "
                        "before processing that is likely to result in a high risk to "
                        "people's rights and freedoms, for example large-scale processing "
                        "of special category data or systematic monitoring. Talk to your "
                        "data protection officer early."
                    ),
                    warn(
                        "Never copy personal data into a test environment or a spreadsheet "
                        "on your own device to 'try something out'."
                    ),
                    check(
                        "When must you carry out a data protection impact assessment?",
                        [
                            (
                                "Before processing likely to result in a high risk to people",
                                True,
                                "Yes. Do it before you start, and update it as things change.",
                            ),
                            (
                                "Only after a data breach",
                                False,
                                "No: a DPIA is done before processing, to prevent harm.",
                            ),
                            (
                                "Only for projects that use artificial intelligence",
                                False,
                                "No: it depends on the risk, not the technology.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Using the Data and AI Ethics Framework",
                "Turning principles into decisions your team records.",
                [
                    p(
                        "The framework is a set of questions to work through as a "
                        "multidisciplinary team at the start of a project and at each "
                        "stage. Record your answers: they become the evidence that you "
                        "acted responsibly."
                    ),
                    ul(
                        "The specific actions it asks you to take include:",
                        [
                            "define and understand the public benefit and user need",
                            "involve diverse expertise",
                            "comply with the law",
                            "review the quality and limitations of the data",
                            "evaluate and consider wider policy implications",
                        ],
                    ),
                    details(
                        "What if we cannot answer a question?",
                        "That is a finding in itself. Record it, decide who will find out, "
                        "and do not move to the next stage until the risk is understood.",
                    ),
                    p(
                        "Publishing how you use algorithms is part of transparency: the "
                        "Algorithmic Transparency Recording Standard helps public bodies "
                        "explain algorithmic tools used in decisions that affect the public."
                    ),
                ],
            ),
        ],
        "assessment": [
            q(
                "Which three principles run through the Data and AI Ethics Framework?",
                [
                    ("Transparency, accountability and fairness", True),
                    ("Speed, cost and quality", False),
                    ("Privacy, security and availability", False),
                ],
            ),
            q(
                "Which lawful basis do public bodies usually rely on?",
                [
                    ("Public task", True),
                    ("Legitimate interests", False),
                    ("Contract", False),
                ],
            ),
            q(
                "Which of these are data protection principles?",
                [
                    ("Data minimisation", True),
                    ("Storage limitation", True),
                    ("Maximum data retention", False),
                    ("Purpose limitation", True),
                ],
                multiple=True,
            ),
            q(
                "What should a team do with its answers to the framework's questions?",
                [
                    ("Record them as evidence of its decisions", True),
                    ("Keep them private to the team", False),
                    ("Answer them once and never revisit them", False),
                ],
            ),
        ],
    },
    {
        "slug": "user-research-for-government-services",
        "title": "User research for government services",
        "summary": (
            "Plan and run research that shows who your users are and what they need, and "
            "make sure your service works for everyone who needs it."
        ),
        "outcomes": [
            "explain why research with real users is part of the Service Standard",
            "choose a research method that fits your question",
            "plan a usability test, including with people who use assistive technology",
        ],
        "audience": "Anyone on a team that designs or runs a government service.",
        "professions": ["Digital", "Operational delivery", "Analysis"],
        "duration": 60,
        "format": "self-paced",
        "level": 2,
        "skills": [("User research methods", 2), ("Analysis and synthesis", 1)],
        "lessons": [
            (
                "Understanding users and their needs",
                "Why the Service Standard starts with users.",
                [
                    p(
                        "The first point of the Government Service Standard is to "
                        "understand users and their needs. That means the whole problem "
                        "the user is trying to solve, not only the part your organisation "
                        "deals with.",
                        "User research is a team sport: everyone on the team should see "
                        "research sessions regularly, not only the user researcher.",
                    ),
                    inset(
                        "A user need is written from the user's point of view, for example: "
                        "'As a carer, I need to know if I can get help with costs so that I "
                        "can plan my finances.'"
                    ),
                    details(
                        "Who counts as a user?",
                        "Everyone who needs to use the service: the public, people who help "
                        "others (such as carers and intermediaries) and the staff who run "
                        "it. Include people with disabilities and low digital skills.",
                    ),
                    check(
                        "Which of these is written as a user need?",
                        [
                            (
                                "As an employer, I need to check someone's right to work "
                                "so that I hire legally",
                                True,
                                "Yes: it names the user, what they need and why.",
                            ),
                            (
                                "The service needs a login page",
                                False,
                                "That is a solution, not a need.",
                            ),
                            (
                                "The department needs to cut call volumes",
                                False,
                                "That is an organisational goal, not a user need.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Choosing research methods",
                "Match the method to the question you need answered.",
                [
                    ul(
                        "Common methods and what they are good for:",
                        [
                            "<strong>contextual interviews</strong>: understanding people's "
                            "lives, tasks and problems where they happen",
                            "<strong>usability testing</strong>: seeing whether people can "
                            "use a design to complete a task",
                            "<strong>surveys</strong>: measuring how common something is, once "
                            "you know what to ask",
                            "<strong>analytics</strong>: what people do on a live service, "
                            "but not why",
                        ],
                    ),
                    p(
                        "Qualitative research with a small number of well-chosen "
                        "participants often finds the biggest problems. Five to eight "
                        "participants per round of usability testing is common; test again "
                        "after you change the design."
                    ),
                    warn(
                        "Get informed consent before every session, and store recordings "
                        "and notes as personal data."
                    ),
                    check(
                        "You want to know why people abandon a form at the same question. "
                        "Which method helps most?",
                        [
                            (
                                "Usability testing with people who might use the form",
                                True,
                                "Right: watching people use it shows why they get stuck.",
                            ),
                            (
                                "Analytics alone",
                                False,
                                "Analytics shows where people leave, not why.",
                            ),
                            (
                                "A survey of staff",
                                False,
                                "Staff views are useful, but they are not the users of the form.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Research with everyone",
                "Including disabled people and people with low digital confidence.",
                [
                    p(
                        "About one in five people in the UK report a disability. Include "
                        "people who use assistive technologies such as screen readers, "
                        "screen magnifiers and voice recognition in every round of research "
                        "where you can.",
                        "Recruit for behaviours and circumstances, not only demographics, "
                        "and pay participants fairly for their time.",
                    ),
                    ul(
                        "After each round, synthesise as a team:",
                        [
                            "group observations into themes",
                            "separate what you saw from what you think it means",
                            "turn findings into changes to try next",
                        ],
                    ),
                ],
            ),
        ],
        "assessment": [
            q(
                "What is the first point of the Service Standard?",
                [
                    ("Understand users and their needs", True),
                    ("Choose the right tools and technology", False),
                    ("Operate a reliable service", False),
                ],
            ),
            q(
                "Which method tells you how many people have a problem, once you know what to ask?",
                [("A survey", True), ("A contextual interview", False), ("A card sort", False)],
            ),
            q(
                "Who should observe research sessions?",
                [
                    ("The whole team, regularly", True),
                    ("Only the user researcher", False),
                    ("Only senior managers", False),
                ],
            ),
            q(
                "Which are assistive technologies?",
                [
                    ("Screen readers", True),
                    ("Voice recognition software", True),
                    ("Screen magnifiers", True),
                    ("Spreadsheets", False),
                ],
                multiple=True,
            ),
        ],
    },
    {
        "slug": "cloud-fundamentals",
        "title": "Cloud fundamentals for government",
        "summary": (
            "What cloud computing is, the Cloud First policy, the shared responsibility "
            "model and how to keep cloud services secure and affordable."
        ),
        "outcomes": [
            "describe infrastructure, platform and software as a service",
            "explain the government's Cloud First policy",
            "say who is responsible for what under the shared responsibility model",
        ],
        "audience": "Anyone who works with technology teams or buys technology.",
        "professions": ["Digital", "Commercial", "Project delivery"],
        "duration": 40,
        "format": "self-paced",
        "level": 1,
        "skills": [("IT infrastructure", 1), ("Availability and capacity management", 1)],
        "lessons": [
            (
                "What the cloud is",
                "On-demand computing and the service models.",
                [
                    p(
                        "Cloud computing is on-demand access to computing resources "
                        "(servers, storage, databases, software) over the internet, paid "
                        "for as you use them. You do not buy or run the physical hardware.",
                    ),
                    ul(
                        "There are three common service models:",
                        [
                            "<strong>infrastructure as a service (IaaS)</strong>: virtual "
                            "machines, networks and storage you manage yourself",
                            "<strong>platform as a service (PaaS)</strong>: the provider "
                            "runs the operating system and runtime; you deploy your "
                            "application",
                            "<strong>software as a service (SaaS)</strong>: a complete "
                            "application, such as email or office software",
                        ],
                    ),
                    check(
                        "Your team deploys its code and the provider patches the operating "
                        "system. Which model is this?",
                        [
                            ("Platform as a service", True, "Right."),
                            (
                                "Infrastructure as a service",
                                False,
                                "With IaaS you patch the operating system yourself.",
                            ),
                            (
                                "Software as a service",
                                False,
                                "With SaaS you do not deploy your own code at all.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Cloud First and public cloud",
                "The government's policy and why it exists.",
                [
                    p(
                        "The government's Cloud First policy says that when procuring new "
                        "or existing services, public sector organisations should consider "
                        "and fully evaluate potential cloud solutions first, before any "
                        "other option. Public cloud is preferred.",
                        "Most government information is classified OFFICIAL, and OFFICIAL "
                        "information can be handled in public cloud services with the "
                        "right controls.",
                    ),
                    inset(
                        "Cloud services can be bought through frameworks such as G-Cloud "
                        "on the Digital Marketplace."
                    ),
                ],
            ),
            (
                "Shared responsibility and cost",
                "What the provider secures, what you secure, and paying for what you use.",
                [
                    p(
                        "Under the shared responsibility model the provider secures the "
                        "cloud itself (data centres, hardware, the virtualisation layer) "
                        "and you secure what you put in it: your data, identities and "
                        "access, configuration and, for IaaS, the operating system.",
                    ),
                    warn(
                        "A storage bucket left open to the public is your responsibility, "
                        "not the provider's."
                    ),
                    ul(
                        "Keep costs under control:",
                        [
                            "turn off environments you do not need",
                            "set budgets and alerts",
                            "tag resources with the team and service that owns them",
                            "scale automatically with demand instead of buying for the peak",
                        ],
                    ),
                    check(
                        "Who is responsible for who can read your data in the cloud?",
                        [
                            ("Your organisation", True, "Yes: access to data is yours to manage."),
                            (
                                "The cloud provider",
                                False,
                                "No: the provider secures the infrastructure, not your access "
                                "rules.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
        "assessment": [
            q(
                "What does the Cloud First policy ask organisations to do?",
                [
                    ("Consider and fully evaluate cloud solutions first", True),
                    ("Only ever use one cloud provider", False),
                    ("Build their own data centres", False),
                ],
            ),
            q(
                "Which model gives you a complete application, such as email?",
                [
                    ("Software as a service", True),
                    ("Infrastructure as a service", False),
                    ("Platform as a service", False),
                ],
            ),
            q(
                "Under shared responsibility, what does the provider secure?",
                [
                    ("The physical data centres and hardware", True),
                    ("Your users' passwords", False),
                    ("Your application's access rules", False),
                ],
            ),
            q(
                "Which help control cloud costs?",
                [
                    ("Budgets and alerts", True),
                    ("Turning off unused environments", True),
                    ("Buying capacity for the peak all year", False),
                ],
                multiple=True,
            ),
        ],
    },
    {
        "slug": "agile-delivery-in-government",
        "title": "Agile delivery in government",
        "summary": (
            "How government teams deliver in small steps through discovery, alpha, beta and "
            "live, and the ceremonies that keep a team learning."
        ),
        "outcomes": [
            "describe the phases of a government service",
            "explain the purpose of a sprint, stand-up and retrospective",
            "explain why teams release small changes often",
        ],
        "audience": "Anyone joining or working with a digital delivery team.",
        "professions": ["Digital", "Project delivery", "Operational delivery"],
        "duration": 50,
        "format": "self-paced",
        "level": 2,
        "skills": [("Agile and Lean practices", 2), ("Agile working", 1)],
        "lessons": [
            (
                "The phases of a service",
                "Discovery, alpha, beta, live and retirement.",
                [
                    ul(
                        "Government services follow phases described in the Service Manual:",
                        [
                            "<strong>discovery</strong>: understand the problem and the "
                            "users before committing to build anything",
                            "<strong>alpha</strong>: try different solutions with prototypes "
                            "and test the riskiest assumptions",
                            "<strong>beta</strong>: build a real service and improve it with "
                            "real users (private, then public beta)",
                            "<strong>live</strong>: keep improving the service and keep it "
                            "reliable",
                            "<strong>retirement</strong>: decommission when it is no longer needed",
                        ],
                    ),
                    p(
                        "Services are assessed against the Service Standard at key points. "
                        "A discovery may find that you should not build a service at all: "
                        "that is a good result, found cheaply."
                    ),
                    check(
                        "In which phase do you test different ideas with prototypes?",
                        [
                            ("Alpha", True, "Yes."),
                            ("Discovery", False, "Discovery is about the problem, not solutions."),
                            ("Live", False, "Live is about running and improving a real service."),
                        ],
                    ),
                ],
            ),
            (
                "Working in sprints",
                "Short cycles of planning, building and reflecting.",
                [
                    p(
                        "Many teams work in sprints of one or two weeks. A sprint starts "
                        "with planning (what will we achieve?), has a short daily stand-up "
                        "(what did I do, what will I do, what is blocking me?) and ends with "
                        "a show and tell and a retrospective.",
                    ),
                    inset(
                        "The retrospective is where the team improves how it works, not what "
                        "it builds."
                    ),
                    details(
                        "Do we have to use Scrum?",
                        "No. Scrum and kanban are both common. Choose what helps your team "
                        "deliver and learn, and change it when it stops helping.",
                    ),
                ],
            ),
            (
                "Releasing often",
                "Why small, frequent releases are safer.",
                [
                    p(
                        "Small changes released often are easier to test, easier to "
                        "understand when something goes wrong and quicker to roll back. "
                        "They also let you learn from real users sooner.",
                        "Automate testing and deployment so that releasing is routine rather "
                        "than an event.",
                    ),
                    check(
                        "Why are small releases safer than big ones?",
                        [
                            (
                                "Each change is easier to test and to undo",
                                True,
                                "Right: less changes at once, so less can go wrong.",
                            ),
                            (
                                "They need no testing",
                                False,
                                "Every release needs testing; small ones make it easier.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
        "assessment": [
            q(
                "What is the purpose of a discovery?",
                [
                    ("To understand the problem and users before building", True),
                    ("To build the first version of the service", False),
                    ("To decommission an old service", False),
                ],
            ),
            q(
                "What does a retrospective improve?",
                [
                    ("How the team works", True),
                    ("The service's design only", False),
                    ("The budget", False),
                ],
            ),
            q(
                "Which phase has a private and a public stage?",
                [("Beta", True), ("Alpha", False), ("Discovery", False)],
            ),
            q(
                "Which are benefits of releasing small changes often?",
                [
                    ("Problems are easier to find", True),
                    ("Changes are quicker to roll back", True),
                    ("No need to involve users", False),
                ],
                multiple=True,
            ),
        ],
    },
    {
        "slug": "accessibility-essentials",
        "title": "Accessibility essentials",
        "summary": (
            "The law, the WCAG 2.2 AA standard and the everyday practices that make "
            "government services work for disabled people."
        ),
        "outcomes": [
            "explain the Public Sector Bodies Accessibility Regulations 2018",
            "describe the four WCAG principles",
            "check a page with a keyboard and write good alternative text",
        ],
        "audience": "Anyone who writes, designs, builds or buys digital services.",
        "professions": ["Digital", "Communications", "Operational delivery"],
        "duration": 45,
        "format": "self-paced",
        "level": 2,
        "skills": [("Accessibility", 2), ("Designing for everyone", 1)],
        "lessons": [
            (
                "The law and the standard",
                "What public sector websites must do.",
                [
                    p(
                        "The Public Sector Bodies (Websites and Mobile Applications) "
                        "Accessibility Regulations 2018 require public sector websites and "
                        "apps to meet the Web Content Accessibility Guidelines (WCAG) at "
                        "level AA and to publish an accessibility statement. Government "
                        "services are expected to meet WCAG 2.2 AA.",
                        "The Equality Act 2010 also requires reasonable adjustments for "
                        "disabled people.",
                    ),
                    ul(
                        "WCAG has four principles: content must be",
                        [
                            "<strong>perceivable</strong>",
                            "<strong>operable</strong>",
                            "<strong>understandable</strong>",
                            "<strong>robust</strong>",
                        ],
                    ),
                    check(
                        "What must a public sector website publish about accessibility?",
                        [
                            ("An accessibility statement", True, "Yes, and keep it up to date."),
                            ("A list of its users", False, "No."),
                            ("Its source code", False, "Not required by these regulations."),
                        ],
                    ),
                ],
            ),
            (
                "Everyday practices",
                "Headings, links, alternative text and plain English.",
                [
                    ul(
                        "Most accessibility problems are avoided by habits like these:",
                        [
                            "use real headings in order, not bold text",
                            "write link text that makes sense on its own (not 'click here')",
                            "give informative images alternative text that says what matters",
                            "give decorative images empty alternative text",
                            "never use colour alone to convey meaning",
                            "write in plain English",
                        ],
                    ),
                    details(
                        "Good alternative text",
                        "Describe what the image tells the reader in context. For a chart, "
                        "give the key finding ('Applications doubled between 2020 and "
                        "2023') and the data in a table nearby.",
                    ),
                    check(
                        "Which link text is most accessible?",
                        [
                            (
                                "Read the accessibility statement",
                                True,
                                "Yes: it makes sense out of context.",
                            ),
                            ("Click here", False, "Screen reader users often list links alone."),
                            ("More", False, "More of what? It needs context."),
                        ],
                    ),
                ],
            ),
            (
                "Testing with a keyboard",
                "A quick check anyone can do.",
                [
                    ul(
                        "Put your mouse away and use the page with the keyboard:",
                        [
                            "press Tab to move forward and Shift and Tab to move back",
                            "check you can always see where the focus is",
                            "check you can reach and use every link, button and field",
                            "check the order makes sense",
                            "check nothing traps the focus",
                        ],
                    ),
                    p(
                        "Automated tools such as axe find some problems, but only some. "
                        "Manual checks and research with disabled people find the rest."
                    ),
                ],
            ),
        ],
        "assessment": [
            q(
                "Which WCAG level must public sector websites meet?",
                [("AA", True), ("A only", False), ("AAA", False)],
            ),
            q(
                "Which are WCAG principles?",
                [
                    ("Perceivable", True),
                    ("Operable", True),
                    ("Profitable", False),
                    ("Robust", True),
                ],
                multiple=True,
            ),
            q(
                "What alternative text should a purely decorative image have?",
                [
                    ("Empty alternative text", True),
                    ("The file name", False),
                    ("The word 'image'", False),
                ],
            ),
            q(
                "What do automated accessibility checkers find?",
                [
                    ("Some problems, but not all", True),
                    ("Every problem", False),
                    ("Nothing useful", False),
                ],
            ),
        ],
    },
    {
        "slug": "designing-apis-for-government",
        "title": "Designing APIs for government",
        "summary": (
            "Design application programming interfaces that other teams and departments can "
            "rely on, following the government's API technical and data standards."
        ),
        "outcomes": [
            "explain what an API is and why government publishes them",
            "design resource URLs and use HTTP methods and status codes correctly",
            "version an API without breaking its users",
        ],
        "audience": "Developers, architects and technical product managers.",
        "professions": ["Digital"],
        "duration": 75,
        "format": "self-paced",
        "level": 3,
        "skills": [("Systems integration", 2), ("Modern development standards", 2)],
        "lessons": [
            (
                "What an API is",
                "Letting systems talk to each other.",
                [
                    p(
                        "An application programming interface (API) lets one piece of "
                        "software ask another for data or to do something. Government "
                        "APIs let services share data without copying it, and let others "
                        "build on government data.",
                        "The government's API technical and data standards recommend "
                        "following the industry standard where it exists, using RESTful "
                        "APIs over HTTPS and JSON, and documenting APIs with the OpenAPI "
                        "specification.",
                    ),
                    code(
                        "shell",
                        "Ask an API for one organisation",
                        "curl -H 'Accept: application/json' \\\n"
                        "  https://api.example.gov.uk/v1/organisations/cabinet-office",
                    ),
                    check(
                        "Which format do the government API standards recommend for "
                        "describing a RESTful API?",
                        [
                            ("The OpenAPI specification", True, "Yes."),
                            ("A PDF document", False, "Machines cannot read it reliably."),
                            ("An email to each user", False, "No."),
                        ],
                    ),
                ],
            ),
            (
                "Resources, methods and status codes",
                "Designing URLs and responses people can predict.",
                [
                    ul(
                        "Name resources with nouns and use HTTP methods for actions:",
                        [
                            "<code>GET /organisations</code> lists organisations",
                            "<code>GET /organisations/{id}</code> reads one",
                            "<code>POST /organisations</code> creates one",
                            "<code>PATCH /organisations/{id}</code> changes part of one",
                            "<code>DELETE /organisations/{id}</code> removes one",
                        ],
                    ),
                    code(
                        "json",
                        "A clear error response (HTTP 400)",
                        '{\n  "errors": [\n    {\n      "field": "postcode",\n'
                        '      "message": "Enter a real postcode"\n    }\n  ]\n}',
                    ),
                    ul(
                        "Return the status code that says what happened:",
                        [
                            "200 OK, 201 Created, 204 No Content",
                            "400 Bad Request when the request is invalid",
                            "401 Unauthorized when credentials are missing or wrong",
                            "403 Forbidden when the caller may not do this",
                            "404 Not Found, 409 Conflict",
                        ],
                    ),
                    check(
                        "A client sends a valid request but lacks permission. Which status?",
                        [
                            ("403 Forbidden", True, "Right: known caller, not allowed."),
                            ("401 Unauthorized", False, "401 means not authenticated."),
                            ("500 Internal Server Error", False, "500 means the server failed."),
                        ],
                    ),
                ],
            ),
            (
                "Versioning and security",
                "Changing an API without breaking the people who use it.",
                [
                    p(
                        "Adding a field is usually a non-breaking change. Removing or "
                        "renaming one is breaking: publish a new version, tell your users, "
                        "and give them time to move before you retire the old one.",
                        "Use HTTPS everywhere, authenticate clients (for example with "
                        "OAuth 2.0), and never put secrets or personal data in URLs, which "
                        "end up in logs.",
                    ),
                    warn("Never put API keys or personal data in a URL's query string."),
                ],
            ),
        ],
        "assessment": [
            q(
                "Which HTTP method creates a new resource in a collection?",
                [("POST", True), ("GET", False), ("DELETE", False)],
            ),
            q(
                "Which change is breaking for existing users?",
                [
                    ("Renaming a field", True),
                    ("Adding a new optional field", False),
                    ("Adding a new endpoint", False),
                ],
            ),
            q(
                "What does status 404 mean?",
                [
                    ("The resource was not found", True),
                    ("The request succeeded", False),
                    ("The caller is not authenticated", False),
                ],
            ),
            q(
                "Which are good API security practices?",
                [
                    ("Use HTTPS everywhere", True),
                    ("Authenticate clients", True),
                    ("Put API keys in the URL", False),
                ],
                multiple=True,
            ),
        ],
    },
    {
        "slug": "cyber-security-basics",
        "title": "Cyber security basics",
        "summary": (
            "Protect yourself and your organisation from the most common cyber attacks: "
            "phishing, weak passwords and unpatched software."
        ),
        "outcomes": [
            "recognise a phishing message and report it",
            "create strong passwords and use multi-factor authentication",
            "explain why software updates matter",
        ],
        "audience": "Every civil servant.",
        "professions": ["Digital", "Operational delivery", "Human resources", "Finance"],
        "duration": 25,
        "format": "self-paced",
        "level": 1,
        "skills": [("Information security", 1), ("Cyber risk management", 1)],
        "lessons": [
            (
                "Phishing",
                "The most common way in.",
                [
                    p(
                        "Phishing messages try to trick you into clicking a link, opening "
                        "an attachment or giving away details. They often create urgency "
                        "('your account will be closed today') or pretend to come from "
                        "someone you trust.",
                    ),
                    ul(
                        "Warning signs:",
                        [
                            "an unexpected request for a password, payment or personal data",
                            "a sender address that does not match the organisation",
                            "pressure to act immediately",
                            "links whose address does not match the text",
                        ],
                    ),
                    inset(
                        "Report suspicious emails to your IT team. Members of the public "
                        "can forward them to report@phishing.gov.uk (the NCSC's Suspicious "
                        "Email Reporting Service)."
                    ),
                    check(
                        "An email from 'IT support' asks you to confirm your password "
                        "within an hour. What should you do?",
                        [
                            (
                                "Report it without clicking the link",
                                True,
                                "Right: IT teams never need your password.",
                            ),
                            (
                                "Reply with your password to be safe",
                                False,
                                "Never share your password.",
                            ),
                            (
                                "Click the link to check if it is real",
                                False,
                                "Clicking may be exactly what the attacker wants.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Passwords and multi-factor authentication",
                "Making stolen passwords less useful.",
                [
                    p(
                        "The NCSC recommends making passwords from three random words, "
                        "using a different password for every important account, and using "
                        "a password manager to remember them.",
                        "Turn on multi-factor authentication (sometimes called 2-step "
                        "verification) wherever you can: a stolen password alone is then "
                        "not enough.",
                    ),
                    check(
                        "Which of these does the NCSC recommend?",
                        [
                            ("Three random words", True, "Yes: long and memorable."),
                            (
                                "The same password everywhere",
                                False,
                                "No: one breach then unlocks every account.",
                            ),
                            ("Turning on multi-factor authentication", True, "Yes."),
                        ],
                        multiple=True,
                        hint="Select all that apply.",
                    ),
                ],
            ),
            (
                "Updates and reporting",
                "Patch promptly; report early.",
                [
                    p(
                        "Software updates fix security weaknesses that attackers know "
                        "about. Install them promptly on your devices and apps.",
                        "If you think you have clicked something you should not have, or "
                        "lost a device, report it straight away. Reporting early limits the "
                        "damage; nobody should be blamed for reporting.",
                    ),
                    warn("Report a lost or stolen work device immediately."),
                ],
            ),
        ],
        "assessment": [
            q(
                "Which is a common sign of phishing?",
                [
                    ("Pressure to act immediately", True),
                    ("A message from a colleague you were expecting", False),
                    ("A newsletter you subscribed to", False),
                ],
            ),
            q(
                "What does multi-factor authentication protect against?",
                [
                    ("Someone using a stolen password alone", True),
                    ("Slow internet connections", False),
                    ("Spelling mistakes", False),
                ],
            ),
            q(
                "Why install software updates promptly?",
                [
                    ("They fix known security weaknesses", True),
                    ("They always add new features", False),
                    ("They are required to send email", False),
                ],
            ),
            q(
                "You clicked a suspicious link. What should you do?",
                [
                    ("Report it straight away", True),
                    ("Say nothing and hope", False),
                    ("Wait a week to see what happens", False),
                ],
            ),
        ],
    },
    {
        "slug": "product-management-in-government",
        "title": "Product management in government",
        "summary": (
            "Lead a product from problem to outcome: set a vision, prioritise with evidence "
            "and measure whether the service is working."
        ),
        "outcomes": [
            "describe the product manager's role in a multidisciplinary team",
            "prioritise a backlog against outcomes and user needs",
            "choose measures that show whether a service works",
        ],
        "audience": "Product managers, service owners and people moving into product roles.",
        "professions": ["Digital", "Project delivery", "Operational delivery"],
        "duration": 90,
        "format": "blended",
        "level": 3,
        "skills": [("Product management", 3), ("Managing product outcomes", 2)],
        "lessons": [
            (
                "The product manager's role",
                "Owning the problem, not only the product.",
                [
                    p(
                        "A product manager makes sure the team builds the right thing. "
                        "They set a vision, understand users and the policy intent, "
                        "prioritise the work and make decisions about what not to do.",
                        "In government, the product manager works closely with the "
                        "service owner, who is accountable for the whole service, "
                        "including parts that are not digital.",
                    ),
                    check(
                        "Who is accountable for the whole service, including offline parts?",
                        [
                            ("The service owner", True, "Yes."),
                            (
                                "The delivery manager",
                                False,
                                "The delivery manager helps the team deliver; they do not "
                                "own the service.",
                            ),
                            ("The developers", False, "No."),
                        ],
                    ),
                ],
            ),
            (
                "Prioritising",
                "Saying no, with evidence.",
                [
                    p(
                        "A roadmap shows the problems you will tackle and why, not a list "
                        "of features with dates. Prioritise by the value to users and the "
                        "organisation, the evidence behind it and the cost of delay.",
                    ),
                    ul(
                        "Useful questions when prioritising:",
                        [
                            "which user need or outcome does this serve?",
                            "what evidence do we have?",
                            "what is the smallest thing we can do to learn more?",
                            "what happens if we do not do it?",
                        ],
                    ),
                    details(
                        "Outcomes and outputs",
                        "An output is something you make (a new form). An outcome is the "
                        "change it causes (more people apply successfully first time). "
                        "Prioritise outcomes.",
                    ),
                ],
            ),
            (
                "Measuring success",
                "Knowing whether the service works.",
                [
                    p(
                        "The Service Standard asks teams to define what success looks like "
                        "and publish performance data. Commonly used measures include "
                        "completion rate, user satisfaction, cost per transaction and "
                        "digital take-up.",
                    ),
                    check(
                        "Which is an outcome rather than an output?",
                        [
                            (
                                "More people complete their application first time",
                                True,
                                "Yes: it is the change the work causes.",
                            ),
                            (
                                "A redesigned start page",
                                False,
                                "That is an output: something the team made.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
        "assessment": [
            q(
                "What should a roadmap show?",
                [
                    ("The problems you will tackle and why", True),
                    ("A fixed list of features with dates", False),
                    ("The team's holiday plans", False),
                ],
            ),
            q(
                "Which are common measures of a government service?",
                [
                    ("Completion rate", True),
                    ("Cost per transaction", True),
                    ("Number of meetings held", False),
                    ("User satisfaction", True),
                ],
                multiple=True,
            ),
            q(
                "What does a product manager mainly make sure of?",
                [
                    ("That the team builds the right thing", True),
                    ("That every feature request is built", False),
                    ("That the servers are patched", False),
                ],
            ),
            q(
                "Which is an outcome?",
                [
                    ("Fewer calls to the helpline about the same problem", True),
                    ("A new database", False),
                    ("A new logo", False),
                ],
            ),
        ],
    },
    {
        "slug": "presenting-data-in-charts",
        "title": "Presenting data in charts and tables",
        "summary": (
            "Choose the right chart or table for your message, make it accessible and explain "
            "what the numbers mean to people who are not analysts."
        ),
        "outcomes": [
            "choose between a table, a bar chart and a line chart",
            "make a chart accessible, with a clear title and alternative text",
            "explain a finding in plain English to a non-specialist audience",
        ],
        "audience": "Anyone who presents numbers: analysts, policy officials and managers.",
        "professions": ["Analysis", "Digital", "Communications"],
        "duration": 35,
        "format": "self-paced",
        "level": 2,
        "skills": [
            ("Data visualisation", 2),
            ("Communicating between the technical and non-technical", 1),
        ],
        "lessons": [
            (
                "Tables or charts?",
                "Start from the message, not the software.",
                [
                    p(
                        "Use a table when people need to look up exact values. Use a chart "
                        "when the message is a pattern: a trend, a comparison or a "
                        "distribution.",
                        "Decide what you want the reader to take away before you choose a "
                        "chart, and write it as the chart's title: 'Applications doubled "
                        "between 2020 and 2023' tells the reader more than 'Applications, "
                        "2020 to 2023'.",
                    ),
                    ul(
                        "Common choices:",
                        [
                            "<strong>line chart</strong>: change over time",
                            "<strong>bar chart</strong>: comparing categories (start the "
                            "axis at zero)",
                            "<strong>table</strong>: exact values, or many measures at once",
                        ],
                    ),
                    check(
                        "You want to show how monthly applications changed over three years. "
                        "Which is usually best?",
                        [
                            ("A line chart", True, "Yes: lines show change over time well."),
                            ("A pie chart", False, "Pie charts show parts of a whole, not trends."),
                            (
                                "A table of 36 numbers",
                                False,
                                "A table gives exact values but hides the trend.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Accessible charts",
                "Charts everyone can understand.",
                [
                    ul(
                        "Make charts accessible:",
                        [
                            "do not rely on colour alone: label lines and bars directly",
                            "use enough contrast between colours and the background",
                            "give the chart a text alternative that states the main finding",
                            "publish the underlying data as a table or a download",
                        ],
                    ),
                    inset(
                        "The Analysis Function's guidance on data visualisation gives "
                        "government-wide advice on charts and tables."
                    ),
                    check(
                        "Which makes a line chart easier to read for people who cannot "
                        "tell colours apart?",
                        [
                            (
                                "Labelling each line directly",
                                True,
                                "Right: labels do not depend on colour.",
                            ),
                            ("Using more colours", False, "More colours makes it harder."),
                            ("Removing the axis labels", False, "That removes information."),
                        ],
                    ),
                ],
            ),
            (
                "Explaining the numbers",
                "Plain English for people who are not analysts.",
                [
                    p(
                        "Lead with what the numbers mean for the decision in hand. Round "
                        "numbers sensibly, say how certain you are, and explain terms such "
                        "as 'median' the first time you use them.",
                        "Say where the data comes from and what it does not cover, so that "
                        "nobody reads more into it than it can support.",
                    ),
                    details(
                        "Mean or median?",
                        "The median is the middle value when values are sorted; it is less "
                        "affected by a few very large values than the mean (the average).",
                    ),
                ],
            ),
        ],
        "assessment": [
            q(
                "When is a table better than a chart?",
                [
                    ("When readers need exact values", True),
                    ("When the message is a trend over time", False),
                    ("Never", False),
                ],
            ),
            q(
                "Where should a bar chart's value axis start?",
                [("At zero", True), ("At the smallest value", False), ("Anywhere", False)],
            ),
            q(
                "Which make a chart accessible?",
                [
                    ("Direct labels instead of colour alone", True),
                    ("A text alternative with the main finding", True),
                    ("Low contrast colours", False),
                ],
                multiple=True,
            ),
            q(
                "What is a good chart title?",
                [
                    ("One that states the main finding", True),
                    ("The name of the data file", False),
                    ("'Chart 1'", False),
                ],
            ),
        ],
    },
]
