# One image for every claims-triage service; docker-compose.yml picks the command.
FROM python:3.11-slim
# libgomp1 for LightGBM; Tesseract with the languages docextract reads scans in (TRIAGE_DOCEXTRACT_OCR_LANGUAGE)
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 \
        tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-osd \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY services services
COPY models models
COPY training training
COPY claimgen claimgen
RUN pip install --no-cache-dir ".[postgres]"
ENV TRIAGE_DATA_DIR=/data
ENTRYPOINT ["triage"]
