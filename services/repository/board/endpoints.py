from services.repository.db import kernel
from shared.web import service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-board"])
