from . import base_partner_merge_automatic_wizard
from . import helpdesk_ticket_split_wizard
from . import helpdesk_ticket_split_wizard_line
from . import support_credit_adjust_wizard
from . import support_credit_unearned_report
from . import support_credit_unearned_report_line
