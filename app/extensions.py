"""Extensions created unbound and attached in create_app (the Flask factory pattern)."""

from flask_login import LoginManager
from flask_sock import Sock

login_manager = LoginManager()
sock = Sock()
