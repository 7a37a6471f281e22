from . import base_partner_merge_automatic_wizard
from . import support_credit_adjust_wizard
