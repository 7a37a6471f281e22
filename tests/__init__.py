from . import test_approval
from . import test_concurrency
from . import test_data_safety
from . import test_portal_approval
from . import test_portal_credits
from . import test_query_budget
from . import test_sale_grant
from . import test_wallet
