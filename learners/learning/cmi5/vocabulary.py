"""The cmi5 profile's IRIs (cmi5 section 9). The ADL verbs the platform already uses come from
learners.xapi, their one home; the ones only cmi5 uses are defined here.
"""

from learners.xapi import ADL_VERBS as ADL
from learners.xapi import COMPLETED, FAILED, LAUNCHED, PASSED

CMI5 = "https://w3id.org/xapi/cmi5"

INITIALIZED = ADL + "initialized"
ABANDONED = ADL + "abandoned"
WAIVED = ADL + "waived"
TERMINATED = ADL + "terminated"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
VOIDED = ADL + "voided"

DEFINED_VERBS = {
    LAUNCHED: "launched",
    INITIALIZED: "initialized",
    COMPLETED: "completed",
    PASSED: "passed",
    FAILED: "failed",
    ABANDONED: "abandoned",
    WAIVED: "waived",
    TERMINATED: "terminated",
    SATISFIED: "satisfied",
}
# Verbs only the LMS may send (cmi5 9.3).
LMS_ONLY_VERBS = {LAUNCHED, ABANDONED, WAIVED, SATISFIED}

CATEGORY_CMI5 = f"{CMI5}/context/categories/cmi5"
CATEGORY_MOVEON = f"{CMI5}/context/categories/moveon"
EXTENSION_SESSION = f"{CMI5}/context/extensions/sessionid"
EXTENSION_LAUNCH_MODE = f"{CMI5}/context/extensions/launchmode"
EXTENSION_LAUNCH_URL = f"{CMI5}/context/extensions/launchurl"
EXTENSION_MOVE_ON = f"{CMI5}/context/extensions/moveon"
EXTENSION_LAUNCH_PARAMETERS = f"{CMI5}/context/extensions/launchparameters"
EXTENSION_MASTERY_SCORE = f"{CMI5}/context/extensions/masteryscore"
EXTENSION_REASON = f"{CMI5}/result/extensions/reason"  # a result extension (9.5.5.2)

ACTIVITY_TYPE_BLOCK = f"{CMI5}/activitytype/block"
ACTIVITY_TYPE_COURSE = f"{CMI5}/activitytype/course"

LAUNCH_DATA_STATE_ID = "LMS.LaunchData"
LEARNER_PREFERENCES_PROFILE_ID = "cmi5LearnerPreferences"
