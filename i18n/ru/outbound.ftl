## Application
app-title = Outbound — настройки исходящей почты
window-failed = Не удалось открыть окно: { $reason }
profiles-heading = Профили
profiles-loading = Загрузка профилей…
scope-user = пользовательский
scope-system = системный
scope-read-only = только чтение
profile-disabled = отключён
password-saved = пароль сохранён в связке ключей
password-not-saved = пароль не сохранён

## Validation: each message follows the field's name
invalid-name-empty = нужно указать имя
invalid-name-chars = допустимы только латинские буквы, цифры и _
invalid-mailbox = «{ $value }» — неверный адрес электронной почты
invalid-line-break = перевод строки здесь недопустим
invalid-required = это поле обязательно
invalid-host = «{ $value }» — не имя хоста и не IP-адрес
invalid-port = порт должен быть числом от 1 до 65535
invalid-timeout = тайм-аут должен быть от 1 до 300 секунд
invalid-args = не удаётся разобрать аргументы: { $reason }
invalid-no-recipients = для тестового письма нужен хотя бы один получатель
host-normalised = «{ $pasted }» понято как хост { $host }, порт { $port }, защита { $security }

## Files
doc-syntax = строка { $line }, столбец { $column }: { $message }
doc-syntax-field = строка { $line }, столбец { $column }, поле «{ $field }»: { $message }
doc-missing-format = в файле нет строки «format», это не файл Outbound
doc-newer-format = файл имеет формат { $found } от более новой версии Outbound; эта версия читает формат { $supported }
doc-bad-format = «format» должен быть целым числом
store-no-home = для этого пользователя не известна домашняя папка, настройки негде хранить
store-io = { $path }: { $reason }
store-name-mismatch = { $path }: профиль внутри называется «{ $inner }», а файл — «{ $file }»; переименуйте одно из них
store-not-found = профиля «{ $name }» нет
store-read-only = «{ $name }» — системный профиль, он только для чтения
store-exists = профиль «{ $name }» уже существует

## Import and export
import-invalid = { $file }, строка { $line }, профиль «{ $profile }»: { $problem }. Ничего не импортировано.
import-duplicate = { $file }, строка { $line }: профиль «{ $name }» встречается в файле дважды. Ничего не импортировано.
import-conflicts = Эти профили уже существуют: { $names }. Ничего не импортировано; выберите --on-conflict skip, replace или rename.
import-added = добавлен { $name }
import-replaced = заменён { $name }
import-renamed = { $from } импортирован как { $to }
import-skipped = пропущен { $name }: он уже существует

## Keyring
keyring-unavailable = Связка ключей недоступна: { $reason }
keyring-denied = Связка ключей отказала в доступе (заблокирована?): { $reason }
keyring-timeout = Связка ключей не ответила за { $seconds } с
keyring-failed = Ошибка связки ключей: { $reason }

## Command line
cli-no-runtime = Не удаётся запуститься: { $reason }
cli-no-profiles = Профилей пока нет.
cli-skipped-file = Не загружен: { $reason }
cli-exported = { $count ->
    [one] Экспортирован { $count } профиль в { $file }
    [few] Экспортировано { $count } профиля в { $file }
   *[many] Экспортировано { $count } профилей в { $file }
}
cli-deleted = Профиль { $name } удалён
cli-password-saved = Пароль профиля { $name } сохранён в связке ключей
cli-password-cleared = Пароль профиля { $name } удалён из связки ключей
cli-password-left = Не удалось удалить пароль из связки ключей: { $reason }
cli-password-env-missing = Переменная окружения { $var } не задана
cli-password-stdin = Не удаётся прочитать пароль со стандартного ввода: { $reason }
cli-password-empty = Пароль пуст

## Command-line help
cli = Настройки исходящей почты: профили, проверки и диагностика. Без команды открывает окно.
cli-profile = Управление профилями отправки
cli-profile-list = Показать профили обеих областей
cli-profile-list--json = Вывод в JSON
cli-profile-show = Показать один профиль
cli-profile-show--name = Имя профиля
cli-profile-show--json = Вывод в JSON
cli-profile-delete = Удалить пользовательский профиль и его сохранённый пароль
cli-profile-delete--name = Имя профиля
cli-profile-export = Экспортировать профили (все, если не названы) в файл, без паролей
cli-profile-export--names = Экспортируемые профили
cli-profile-export--output = Файл для записи
cli-profile-import = Импортировать профили из файла: все или ни одного
cli-profile-import--file = Файл для чтения
cli-profile-import--on-conflict = Что делать с уже существующим именем
cli-profile-import--json = Вывод в JSON
cli-profile-set-password = Сохранить пароль профиля в связке ключей
cli-profile-set-password--name = Имя профиля
cli-profile-set-password--password-stdin = Прочитать пароль со стандартного ввода
cli-profile-set-password--password-env = Прочитать пароль из этой переменной окружения
cli-profile-clear-password = Удалить пароль профиля из связки ключей
cli-profile-clear-password--name = Имя профиля

## Check
diag-ok = Проверка пройдена: сервер (или программа) принял каждый шаг.
diag-ok-hint = Исправлять нечего.
diag-dns-failed = Не удалось получить адрес сервера { $host }.
diag-dns-failed-hint = Проверьте написание имени сервера и доступ этого компьютера к DNS-серверам.
diag-connect-refused = Соединение с { $host } на порту { $port } никто не принял.
diag-connect-refused-hint = Проверьте порт: 465 — SSL/TLS, 587 — STARTTLS, 25 — без шифрования. Соединение может отклонять и межсетевой экран.
diag-connect-timeout = Соединение с { $host } на порту { $port } не получило ответа вовремя.
diag-connect-timeout-hint = Вероятно, порт закрыт межсетевым экраном или провайдером (порт 25 часто закрыт); попробуйте 587 или 465.
diag-timeout = Сервер перестал отвечать: ответа нет { $seconds } с.
diag-timeout-hint = Сервер может быть перегружен или соединение фильтруется; повторите позже или увеличьте время ожидания.
diag-tls-handshake-failed = Не удалось установить зашифрованное соединение (TLS).
diag-tls-handshake-failed-hint = Возможно, сервер предлагает только устаревшие версии TLS или шифры; проверьте настройку защиты и протокол обмена.
diag-tls-mode-mismatch = { $found ->
    [plain] Сервер ответил открытым текстом там, где ожидалось шифрование с первого байта (SSL/TLS).
   *[tls] Сервер ждёт шифрования с первого байта (SSL/TLS) и не приветствует открытым текстом.
}
diag-tls-mode-mismatch-hint = Выберите защиту { $security } на порту { $port }.
diag-certificate-untrusted = Сертификат сервера выдан не тем центром, которому доверяет этот компьютер (самоподписанный или неизвестный издатель).
diag-certificate-untrusted-hint = Установите сертификат выдавшего центра или, только для тестового сервера, включите «принимать недействительные сертификаты» (небезопасно для реальной работы).
diag-certificate-expired = Срок действия сертификата сервера истёк (или ещё не начался).
diag-certificate-expired-hint = Администратор сервера должен обновить сертификат; проверьте также часы этого компьютера.
diag-certificate-name-mismatch = Сертификат сервера выдан на другие имена, не на { $host }.
diag-certificate-name-mismatch-hint = Укажите имя сервера из сертификата (см. сведения о сервере), как его приводит провайдер.
diag-starttls-unavailable = Сервер { $host } не предлагает STARTTLS.
diag-starttls-unavailable-hint = Используйте SSL/TLS на порту 465, если сервер его поддерживает; без шифрования — только в доверенной сети.
diag-auth-mechanism-unavailable = Сервер не предлагает способ входа { $wanted }; он предлагает: { $offered }.
diag-auth-mechanism-unavailable-hint = Выберите один из предложенных способов или «Авто». Некоторые серверы предлагают вход только после STARTTLS.
diag-auth-failed = Сервер отклонил вход: неверное имя пользователя или пароль.
diag-auth-failed-hint = Проверьте формат имени пользователя, который ждёт провайдер (часто — весь адрес), и пароль. При двухфакторном входе провайдеру может понадобиться пароль приложения.
diag-app-password-required = Провайдер требует для почтовых программ отдельный пароль приложения.
diag-app-password-required-hint = Создайте пароль приложения в настройках безопасности учётной записи и используйте его вместо обычного пароля.
diag-auth-disabled-by-provider = Провайдер отключил вход по паролю через SMTP для этой учётной записи.
diag-auth-disabled-by-provider-hint = Включите «SMTP с проверкой подлинности» для ящика в центре администрирования провайдера или используйте OAuth2 (XOAUTH2).
diag-sender-rejected = Сервер не разрешает отправлять от имени { $address } с этой учётной записью.
diag-sender-rejected-hint = Адрес отправителя должен совпадать с учётной записью, под которой выполнен вход (или с одним из её разрешённых псевдонимов).
diag-relay-denied = Сервер отказывается передавать письмо дальше (пересылка запрещена).
diag-relay-denied-hint = Включите проверку подлинности: большинство серверов пересылают почту только вошедшим пользователям.
diag-recipient-rejected = Сервер отклонил получателя { $address }.
diag-recipient-rejected-hint = Проверьте адрес получателя; причина — в ответе сервера в протоколе обмена.
diag-message-rejected = Сервер отклонил само письмо.
diag-message-rejected-hint = Причина (размер, содержание, правила) — в ответе сервера; см. протокол обмена.
diag-server-unavailable = Сервер сейчас отказывает в обслуживании (421 или 554).
diag-server-unavailable-hint = Повторите позже; если это повторяется, сервер, возможно, блокирует адрес этого компьютера.
diag-protocol-error = Сервер нарушил порядок обмена SMTP: { $reply }
diag-protocol-error-hint = Возможно, это не SMTP-сервер или соединение обрывает что-то по пути; проверьте сервер, порт и протокол обмена.
diag-sendmail-not-found = Программа sendmail { $path } не существует.
diag-sendmail-not-found-hint = Установите почтовый агент (postfix, exim, msmtp…) или укажите правильный путь.
diag-sendmail-not-executable = { $path } нельзя запустить как программу sendmail.
diag-sendmail-not-executable-hint = Путь должен вести к исполняемому файлу; проверьте права доступа.
diag-sendmail-failed = Программа sendmail завершилась с ошибкой: { $reply }
diag-sendmail-failed-hint = Прочитайте её вывод ошибок в протоколе обмена; подробности обычно есть в журнале самой программы.
diag-keyring-unavailable = Не удалось прочитать пароль из связки ключей: { $reply }
diag-keyring-unavailable-hint = Разблокируйте связку ключей или передайте пароль через --password-stdin или --password-env.
diag-cancelled = Проверка отменена.
diag-cancelled-hint = Запустите её снова, когда будете готовы.
check-status-ok = успех
check-status-warning = внимание
check-status-failed = ОШИБКА
check-status-skipped = пропущен
check-test-subject = Тестовое письмо Outbound
check-test-body = Это тестовое письмо, отправленное Outbound для проверки профиля { $profile } через { $route } в { $time }.
check-message-bad-sender = Адрес отправителя { $address } не является почтовым ящиком
check-message-bad-recipient = Получатель { $address } не является почтовым ящиком
check-message-no-recipients = Для тестового письма не указаны получатели
check-message-build = Не удалось составить тестовое письмо: { $reason }
check-info-resolving = поиск адреса { $host }
check-info-connecting = соединение с { $address }
check-info-tls-start = начало TLS
check-info-message = письмо размером { $bytes } байт
check-detail-no-address = адрес не найден
check-detail-accepted-invalid = сертификат принят, хотя он недействителен ({ $reason }), потому что включено «принимать недействительные сертификаты»
check-detail-speaks-tls = порт отвечает на приветствие TLS
check-detail-no-starttls = STARTTLS нет среди ключевых слов EHLO сервера
check-detail-starttls-injection = сервер прислал данные после ответа на STARTTLS
check-detail-timed-out = нет ответа в течение { $seconds } с
check-detail-closed = сервер закрыл соединение
check-detail-too-long = строка ответа длиннее { $limit } байт
check-detail-too-many-lines = ответ со слишком большим числом строк
check-detail-malformed = это не ответ SMTP: { $line }
check-detail-bad-challenge = запрос CRAM-MD5 не в кодировке base64
check-detail-auth-plaintext = пароль передан без шифрования
check-detail-abandoned = письмо брошено: соединение закрыто до конца письма, поэтому ничего не доставлено
check-detail-not-regular = не обычный файл
check-detail-not-executable = нет права на выполнение
check-cert-trusted = доверенный
check-cert-untrusted = недоверенный издатель
check-cert-expired = истёк срок действия
check-cert-not-yet-valid = ещё не действует
check-cert-name-mismatch = выдан на другие имена
check-limit-reached = Отправка запрещена: профиль { $name } исчерпал дневной лимит в { $limit } писем (сутки считаются по UTC).
check-limit-io = Не удалось обновить счётчик отправленных писем в { $path }: { $reason }
cli-check-bad-host = Это не имя и не адрес сервера: { $host }
cli-check-no-recipients = Для отправки нужны получатели: укажите --to или тестовых получателей в профиле
cli-check-no-sender = Для отправки нужен адрес отправителя: укажите --from или отправителя в профиле
cli-check-hint = Совет: { $hint }
cli-check-log-failed = Не удалось записать журнал { $file }: { $reason }
cli-check = Проверить профиль (или сервер, или программу sendmail) шаг за шагом
cli-check--profile = Сохранённый профиль для проверки (пароль берётся из связки ключей)
cli-check--host = SMTP-сервер для проверки без сохранённого профиля
cli-check--port = Порт (по умолчанию по защите: 465, 587 или 25)
cli-check--security = Защита соединения
cli-check--auth = Способ входа
cli-check--user = Имя пользователя для входа
cli-check--password-stdin = Прочитать пароль со стандартного ввода
cli-check--password-env = Прочитать пароль из этой переменной окружения
cli-check--from = Адрес отправителя
cli-check--to = Получатели тестового письма через запятую
cli-check--send = Отправить тестовое письмо
cli-check--timeout = Сколько секунд может длиться каждый сетевой шаг
cli-check--accept-invalid-certs = Принять недействительный сертификат (с предупреждением)
cli-check--sendmail = Программа sendmail для проверки
cli-check--args = Аргументы программы sendmail
cli-check--json = Вывести JSON
