from os import PathLike
from typing import Any, Dict, Iterator, List, Optional, Union

Photo = Union[str, "PathLike[str]", bytes, bytearray, memoryview]

class PhotoError(Exception):
    """A photo that cannot be judged."""

    code: str
    message_en: str
    message_zh: str

class FixRefused(Exception):
    """A photo `fix` left unwritten, and why."""

    code: str
    message_en: str
    message_zh: str
    before: Optional[Dict[str, Any]]

class Checker:
    def __init__(
        self,
        profile: str = "chsi-diploma",
        *,
        max_side: Optional[int] = None,
        max_decode_mb: Optional[int] = None,
        max_file_mb: Optional[int] = None,
    ) -> None: ...
    @property
    def profile(self) -> str: ...
    def check(self, photo: Photo, *, name: Optional[str] = None) -> Dict[str, Any]: ...
    def fix(self, photo: Photo, *, name: Optional[str] = None) -> Dict[str, Any]: ...

def check(photo: Photo, *, profile: str = "chsi-diploma", name: Optional[str] = None) -> Dict[str, Any]: ...
def fix(photo: Photo, *, profile: str = "chsi-diploma", name: Optional[str] = None) -> Dict[str, Any]: ...
def scan(
    folder: Union[str, "PathLike[str]"], *, profile: str = "chsi-diploma", jobs: Optional[int] = None
) -> Iterator[Dict[str, Any]]: ...
def profiles() -> List[str]: ...
def explain(code: str, lang: str = "zh", profile: str = "chsi-diploma") -> str: ...
def annotate(
    photo: Photo, *, profile: str = "chsi-diploma", lang: str = "zh", name: Optional[str] = None
) -> bytes: ...
